import { and, desc, eq, inArray, ne, notLike, or, sql } from "drizzle-orm";
import { clients, users } from "../../../drizzle/schema.js";
import { newId } from "../../../drizzle/ids.js";
import { INVITED_AUTHORIZER_PREFIX, invitedAuthorizerId, isInvitation } from "../../auth/invitations.js";
import { USER_ROLES, canGrantRole, type UserRole } from "../../auth/policy.js";
import { forgetUser } from "../../auth/principal.js";
import { violatesUnique } from "../../db/errors.js";
import { limitReached, limitUsage, lockClient, underLimit } from "../../db/plan-limits.js";
import { afterCursor } from "../../db/keyset.js";
import { tenantBatch } from "../../db/tenant.js";
import { database } from "../../http/context.js";
import { handle } from "../../http/route.js";
import { decodeCursor, page } from "../../lib/cursor.js";
import { ApiError, conflict, internal, invalidField, notFound } from "../../lib/errors.js";
import { createUser, deleteUser, getUser, listUsers, updateUser } from "./routes.js";
import { toUser } from "./schema.js";

const noSuchUser = () => notFound("No user with this id.");

// timestamp(3) columns hold UTC without a zone: write the instant in UTC whatever the session's zone.
const nowUtc = sql`(now() at time zone 'utc')`;

/** 403 for a role above the caller's; 400 for SUPER_ADMIN, which belongs to no client. */
function checkGrant(granter: UserRole, role: UserRole): void {
  if (!canGrantRole(granter, role)) {
    throw new ApiError("forbidden", `You cannot grant the ${role} role: it is above yours.`, {
      details: [{ path: "role", message: "Above your role" }],
    });
  }
  if (role === "SUPER_ADMIN") {
    throw invalidField("role", "SUPER_ADMIN belongs to no client, so it cannot be granted to a client's member");
  }
}

/** Roles of users the caller may change: their own and below. */
const manageableBy = (role: UserRole) => USER_ROLES.filter((r) => canGrantRole(role, r));

const aboveCaller = (role: UserRole) => new ApiError("forbidden", `This user's role (${role}) is above yours: you cannot change them.`);

/** An email or Authorizer id already used (unique across every tenant). */
function rethrowTaken(err: unknown): never {
  if (violatesUnique(err, "users_email_key")) {
    throw conflict("A user with this email already exists.", { details: [{ path: "email", message: "Already used" }] });
  }
  if (violatesUnique(err, "users_authorizerId_key")) {
    throw conflict("A user with this authorizerId already exists.", { details: [{ path: "authorizerId", message: "Already used" }] });
  }
  throw err;
}

export const list = handle(listUsers, async (c, { scope }) => {
  const { limit, cursor, role, status } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor) : undefined;
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .select()
      .from(users)
      .where(
        and(
          eq(users.clientId, scope.clientId),
          role ? eq(users.role, role) : undefined,
          status ? eq(users.status, status) : undefined,
          after ? afterCursor(users.createdAt, users.id, after, "desc") : undefined,
        ),
      )
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(limit + 1),
  ]);
  const { data, nextCursor } = page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
  return c.json({ data: data.map(toUser), nextCursor }, 200);
});

export const create = handle(createUser, async (c, { principal, tenantId, scope }) => {
  const body = c.req.valid("json");
  checkGrant(principal.role, body.role);
  const id = newId();
  // Invited without an Authorizer account: a placeholder until the signup webhook links the email.
  const authorizerId = body.authorizerId ?? invitedAuthorizerId(id);
  const status = body.authorizerId ? "ACTIVE" : "PENDING_VERIFICATION";
  const db = database(c);
  // Plan limit, atomically: lock the client, insert only while under maxUsers, then read the usage for the 409.
  const [, inserted, usage] = await tenantBatch(db, scope, [
    lockClient(db, tenantId),
    db
      .insert(users)
      .select(
        db
          .select({
            id: sql`${id}::text`.as("id"),
            authorizerId: sql`${authorizerId}::text`.as("authorizerId"),
            email: sql`${body.email.toLowerCase()}::text`.as("email"),
            firstName: sql`${body.firstName ?? null}::text`.as("firstName"),
            lastName: sql`${body.lastName ?? null}::text`.as("lastName"),
            role: sql`${body.role}::"UserRole"`.as("role"),
            status: sql`${status}::"UserStatus"`.as("status"),
            clientId: clients.id,
            createdAt: nowUtc.as("createdAt"),
            updatedAt: nowUtc.as("updatedAt"),
            lastLoginAt: sql`null::timestamp(3)`.as("lastLoginAt"),
            tokensValidAfter: sql`null::timestamp(3)`.as("tokensValidAfter"),
            authorizerUpdatedAt: sql`null::timestamp(3)`.as("authorizerUpdatedAt"),
          })
          .from(clients)
          .where(underLimit(db, "users", tenantId)),
      )
      .returning(),
    limitUsage(db, "users", tenantId),
  ]).catch(rethrowTaken);
  const row = inserted[0];
  if (!row) {
    // Only a SUPER_ADMIN can name a client that does not exist (?clientId=).
    if (!usage[0]) throw notFound("No client with this id.");
    throw limitReached("users", usage[0]);
  }
  c.get("log").set({ userCreated: row.id });
  return c.json({ data: toUser(row) }, 201);
});

export const read = handle(getUser, async (c, { scope }) => {
  const { id } = c.req.valid("param");
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .select()
      .from(users)
      .where(and(eq(users.id, id), eq(users.clientId, scope.clientId))),
  ]);
  const row = rows[0];
  if (!row) throw noSuchUser();
  return c.json({ data: toUser(row) }, 200);
});

export const update = handle(updateUser, async (c, { principal, tenantId, scope }) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  if (body.role !== undefined) checkGrant(principal.role, body.role);
  if (id === principal.userId && (body.role !== undefined || body.status !== undefined)) {
    throw conflict("You cannot change your own role or status; ask another administrator.");
  }
  const changesStatus = body.status !== undefined;
  const db = database(c);
  const target = and(eq(users.id, id), eq(users.clientId, tenantId));
  // The client row is locked so a reactivation's limit check cannot race a concurrent creation.
  const [, updated, current, usage] = await tenantBatch(db, scope, [
    lockClient(db, tenantId),
    db
      .update(users)
      .set({
        firstName: body.firstName,
        lastName: body.lastName,
        role: body.role,
        status: body.status,
        // A suspension ends the user's outstanding tokens, as a deactivation does.
        tokensValidAfter: body.status === "SUSPENDED" ? nowUtc : undefined,
        updatedAt: new Date(),
      })
      .where(
        and(
          target,
          inArray(users.role, manageableBy(principal.role)),
          changesStatus ? ne(users.status, "PENDING_VERIFICATION") : undefined,
          changesStatus ? notLike(users.authorizerId, `${INVITED_AUTHORIZER_PREFIX}%`) : undefined,
          // Reactivating an INACTIVE user counts against maxUsers.
          changesStatus
            ? or(ne(users.status, "INACTIVE"), sql`exists (select 1 from ${clients} where ${underLimit(db, "users", tenantId)})`)
            : undefined,
        ),
      )
      .returning(),
    db.select().from(users).where(target),
    limitUsage(db, "users", tenantId),
  ]);
  forgetUser({ userId: id });
  const row = updated[0];
  if (row) return c.json({ data: toUser(row) }, 200);
  // Nothing changed: say why, from the row as it stands.
  const existing = current[0];
  if (!existing) throw noSuchUser();
  if (!canGrantRole(principal.role, existing.role)) throw aboveCaller(existing.role);
  if (changesStatus && (existing.status === "PENDING_VERIFICATION" || isInvitation(existing.authorizerId))) {
    throw conflict("This user has not signed up and verified their email yet: their status follows Authorizer until then.", {
      details: [{ path: "status", message: "Awaiting signup or email verification" }],
    });
  }
  if (changesStatus && existing.status === "INACTIVE") throw limitReached("users", usage[0]);
  throw internal(new Error("user update matched no row for no known reason"));
});

export const remove = handle(deleteUser, async (c, { principal, tenantId, scope }) => {
  const { id } = c.req.valid("param");
  if (id === principal.userId) {
    throw conflict("You cannot deactivate yourself; ask another administrator.");
  }
  const db = database(c);
  const target = and(eq(users.id, id), eq(users.clientId, tenantId));
  const [updated, current] = await tenantBatch(db, scope, [
    db
      .update(users)
      // Tokens issued before now stop working; the row (and the history pointing at it) stays.
      .set({ status: "INACTIVE", tokensValidAfter: nowUtc, updatedAt: new Date() })
      .where(and(target, inArray(users.role, manageableBy(principal.role))))
      .returning(),
    db.select({ role: users.role }).from(users).where(target),
  ]);
  const row = updated[0];
  if (!row) {
    const existing = current[0];
    if (!existing) throw noSuchUser();
    throw aboveCaller(existing.role);
  }
  forgetUser({ userId: row.id, authorizerId: row.authorizerId });
  c.get("log").set({ userDeactivated: row.id });
  return c.json({ data: toUser(row) }, 200);
});
