// POST /v1/webhooks/authorizer — Authorizer's user events, verified by X-Authorizer-Signature over
// the raw body. Authorizer sends no event id and never retries, so every event is applied so that a
// repeat is harmless: status events must carry the user's `updated_at` (not beyond now plus the clock
// tolerance), and one that is not strictly newer than the last applied is ignored as stale (a
// replayed revoke cannot undo a later enable, nor a replay of the latest apply twice).
//
// Invitations (users rows whose authorizerId is `pending:<id>`) are linked only by an event whose
// email is verified and equal to the invitation's (case-insensitively): an unverified signup with
// the invitee's address must not take the row. A linked row is never taken by another subject.
import type { RouteHandler } from "@hono/zod-openapi";
import { eq, or, sql } from "drizzle-orm";
import { users } from "../../../drizzle/schema.js";
import { newId } from "../../../drizzle/ids.js";
import { isAuthorizerSubject, isInvitation } from "../../auth/invitations.js";
import { CLOCK_TOLERANCE_SECONDS } from "../../auth/jwt.js";
import { forgetUser } from "../../auth/principal.js";
import type { Database } from "../../db/client.js";
import { crossTenantBatch } from "../../db/tenant.js";
import { crossTenantDatabase, type AppEnv } from "../../http/context.js";
import { invalidRequest } from "../../lib/errors.js";
import type { AuthorizerEvent } from "./schema.js";
import type { authorizerWebhook } from "./routes.js";

type Outcome = "applied" | "unchanged" | "stale" | "unknown_user" | "ignored";

const STATUS_EVENTS: Record<string, { status: "ACTIVE" | "SUSPENDED" | "INACTIVE"; revokeTokens: boolean }> = {
  "user.access_revoked": { status: "SUSPENDED", revokeTokens: true },
  "user.deactivated": { status: "INACTIVE", revokeTokens: true },
  "user.deleted": { status: "INACTIVE", revokeTokens: true },
  "user.access_enabled": { status: "ACTIVE", revokeTokens: false },
};

export const handleAuthorizerWebhook: RouteHandler<typeof authorizerWebhook, AppEnv> = async (c) => {
  const event = c.req.valid("json");
  c.get("log").set({ webhook: { source: "authorizer", event: event.event_name, subject: event.user.id } });

  const handled = event.event_name === "user.signup" || event.event_name === "user.created" || event.event_name === "user.login";
  const statusChange = STATUS_EVENTS[event.event_name];
  if (handled || statusChange) checkEvent(event, Boolean(statusChange));

  const db = crossTenantDatabase(c);
  const audit = { reason: `authorizer webhook ${event.event_name}`, requestId: c.get("requestId"), actor: "authorizer" };
  let result: { outcome: Outcome; userId: string | null };
  if (event.event_name === "user.signup" || event.event_name === "user.created") {
    result = await linkOrCreate(db, audit, event);
  } else if (event.event_name === "user.login") {
    result = await recordLogin(db, audit, event);
  } else if (statusChange) {
    result = await changeStatus(db, audit, event, statusChange);
  } else {
    return c.json({ data: { event: event.event_name, outcome: "ignored" as const, userId: null } }, 202);
  }
  // Evict at once on this isolate, whatever the outcome: the cached principal may be out of date.
  forgetUser({ authorizerId: event.user.id, ...(result.userId ? { userId: result.userId } : {}) });
  c.get("log").set({ webhookOutcome: result.outcome });
  return c.json({ data: { event: event.event_name, ...result } }, 200);
};

type Audit = Parameters<typeof crossTenantBatch>[1];

const eventTime = (e: AuthorizerEvent) => (e.user.updated_at != null ? new Date(e.user.updated_at * 1000) : null);

/** Refuses (400, nothing changed) what this service cannot order or attribute: a subject Authorizer
 * never issues, a status event without `updated_at`, an `updated_at` in the future (it would make
 * every later real event look stale). */
function checkEvent(e: AuthorizerEvent, isStatusEvent: boolean): void {
  if (!isAuthorizerSubject(e.user.id)) {
    throw invalidRequest("The event's user id is not an Authorizer user id.", [{ path: "user.id", message: "Not an Authorizer user id" }]);
  }
  const updatedAt = e.user.updated_at;
  if (updatedAt == null) {
    if (isStatusEvent) {
      throw invalidRequest("Status events must carry the user's updated_at.", [{ path: "user.updated_at", message: "Required" }]);
    }
    return;
  }
  if (updatedAt > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) {
    throw invalidRequest("The event's updated_at is in the future.", [{ path: "user.updated_at", message: "Must not be in the future" }]);
  }
}

/** Rows this event may change: not already changed by this event or a newer one (strict order). */
function newerThanApplied(at: Date) {
  return sql`(${users.authorizerUpdatedAt} is null or ${users.authorizerUpdatedAt} < ${at})`;
}

async function linkOrCreate(db: Database, audit: Audit, e: AuthorizerEvent) {
  const sub = e.user.id;
  const email = e.user.email?.toLowerCase() ?? null;
  const verified = e.user.email_verified === true;
  const [found] = await crossTenantBatch(db, audit, [
    db
      .select({ id: users.id, authorizerId: users.authorizerId, email: users.email, status: users.status })
      .from(users)
      .where(email ? or(eq(users.authorizerId, sub), sql`lower(${users.email}) = ${email}`) : eq(users.authorizerId, sub)),
  ]);
  const linked = found.find((u) => u.authorizerId === sub);
  if (linked) {
    // Already known: a repeat, or the verification that follows a signup (of this very address).
    if (linked.status === "PENDING_VERIFICATION" && verified && email !== null && linked.email.toLowerCase() === email) {
      await crossTenantBatch(db, audit, [
        db
          .update(users)
          .set({ status: "ACTIVE", updatedAt: new Date() })
          .where(sql`${eq(users.authorizerId, sub)} and ${users.status} = 'PENDING_VERIFICATION' and lower(${users.email}) = ${email}`),
      ]);
      return { outcome: "applied" as const, userId: linked.id };
    }
    return { outcome: "unchanged" as const, userId: linked.id };
  }
  if (found.some((u) => isInvitation(u.authorizerId))) {
    // Only a verified address claims an invitation; until then the invitation waits for its owner.
    return verified ? linkInvitation(db, audit, e) : { outcome: "unchanged" as const, userId: null };
  }
  if (found.length > 0 || !email) {
    // The email belongs to another Authorizer identity (or none was sent): never merge accounts.
    return { outcome: "unchanged" as const, userId: null };
  }
  const [rows] = await crossTenantBatch(db, audit, [
    db
      .insert(users)
      .values({
        id: newId(),
        authorizerId: sub,
        email,
        firstName: e.user.given_name ?? null,
        lastName: e.user.family_name ?? null,
        // Least privilege: no tenant and the lowest role until an administrator assigns them.
        role: "VIEWER",
        status: verified ? "ACTIVE" : "PENDING_VERIFICATION",
        clientId: null,
        authorizerUpdatedAt: eventTime(e),
      })
      .onConflictDoNothing()
      .returning({ id: users.id }),
  ]);
  return { outcome: rows[0] ? ("applied" as const) : ("unchanged" as const), userId: rows[0]?.id ?? null };
}

/**
 * Binds the invitation for the event's verified email to its subject, and activates it if it was
 * waiting for verification. The conditions are re-checked in the UPDATE itself, so neither an
 * unverified event nor a second subject (two concurrent signups) can take the row.
 */
async function linkInvitation(db: Database, audit: Audit, e: AuthorizerEvent) {
  const email = e.user.email?.toLowerCase();
  if (e.user.email_verified !== true || !email) return { outcome: "unchanged" as const, userId: null };
  const [rows] = await crossTenantBatch(db, audit, [
    db
      .update(users)
      .set({
        authorizerId: e.user.id,
        status: sql`case when ${users.status} = 'PENDING_VERIFICATION' then 'ACTIVE'::"UserStatus" else ${users.status} end`,
        authorizerUpdatedAt: eventTime(e),
        updatedAt: new Date(),
      })
      .where(sql`${users.authorizerId} like 'pending:%' and lower(${users.email}) = ${email}`)
      .returning({ id: users.id }),
  ]);
  return rows[0] ? { outcome: "applied" as const, userId: rows[0].id } : { outcome: "unchanged" as const, userId: null };
}

async function recordLogin(db: Database, audit: Audit, e: AuthorizerEvent) {
  const login = () =>
    crossTenantBatch(db, audit, [
      db
        .update(users)
        .set({ lastLoginAt: sql`greatest(${users.lastLoginAt}, CURRENT_TIMESTAMP AT TIME ZONE 'UTC')` })
        .where(eq(users.authorizerId, e.user.id))
        .returning({ id: users.id }),
    ]);
  let [rows] = await login();
  // The first login after verifying the address is the later verified event that completes an
  // invitation an unverified signup could not claim.
  if (!rows[0] && (await linkInvitation(db, audit, e)).outcome === "applied") [rows] = await login();
  return rows[0] ? { outcome: "applied" as const, userId: rows[0].id } : { outcome: "unknown_user" as const, userId: null };
}

async function changeStatus(
  db: Database,
  audit: Audit,
  e: AuthorizerEvent,
  change: { status: "ACTIVE" | "SUSPENDED" | "INACTIVE"; revokeTokens: boolean },
) {
  const at = eventTime(e); // checkEvent: status events carry updated_at
  if (!at) throw invalidRequest("Status events need user.updated_at.", [{ path: "user.updated_at", message: "Required" }]);
  const [updated, existing] = await crossTenantBatch(db, audit, [
    db
      .update(users)
      .set({
        status: change.status,
        ...(change.revokeTokens ? { tokensValidAfter: sql`CURRENT_TIMESTAMP AT TIME ZONE 'UTC'` } : {}),
        authorizerUpdatedAt: at,
        updatedAt: new Date(),
      })
      .where(sql`${eq(users.authorizerId, e.user.id)} and ${newerThanApplied(at)}`)
      .returning({ id: users.id }),
    db.select({ id: users.id }).from(users).where(eq(users.authorizerId, e.user.id)),
  ]);
  if (updated[0]) return { outcome: "applied" as const, userId: updated[0].id };
  return existing[0] ? { outcome: "stale" as const, userId: existing[0].id } : { outcome: "unknown_user" as const, userId: null };
}
