// Route guard: authenticate once per request, authorize the route's action against the policy
// table, and settle which tenant the request acts on. Routes declare `middleware: guard("x.y")`.
import { eq } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { apiKeys } from "../../drizzle/schema.js";
import { createDatabase } from "../db/client.js";
import { tenantBatch } from "../db/tenant.js";
import { describeError, writeLog } from "../lib/log.js";
import { ApiError, invalidRequest, notFound } from "../lib/errors.js";
import { config, database, type AppContext, type AppEnv } from "../http/context.js";
import { authenticate, refusal } from "./authenticate.js";
import { reportFailedAuthentication } from "./failed-authentication.js";
import { authorize, POLICY, type Action, type Caller } from "./policy.js";
import type { ApiKeyPrincipal, Principal } from "./principal.js";
import { checkRequestSignature } from "./request-signature.js";

export function guard(action: Action): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = await authenticated(c);
    const signature = principal.kind === "api_key" ? await signedRequest(c, principal) : undefined;
    let succeeded = false;
    try {
      const tenantId = resolveTenant(c, principal, action);
      const decision = authorize(callerOf(principal), action);
      if (!decision.allowed) throw new ApiError("forbidden", decision.reason);
      c.set("tenantId", tenantId);
      // A handler's error is already the response here (Hono's compose runs onError where it was thrown).
      await next();
      succeeded = c.res.status < 300;
    } finally {
      // A signature is spent only by a request that succeeded: n8n may retry the same request.
      if (signature && !succeeded) afterResponse(c, signature.release());
    }
  };
}

/** A signing key's request: its signature checked and spent (request-signature.ts), or refused as a failed authentication. */
async function signedRequest(c: AppContext, principal: ApiKeyPrincipal) {
  const check = await checkRequestSignature(c, principal);
  if (check.ok) return check;
  const outcome = { ok: false, status: 401, message: check.message, tokenError: "invalid_request" } as const;
  c.get("log").set({ signature: "refused" });
  await reportFailedAuthentication(c, outcome);
  throw refusal(outcome);
}

function afterResponse(c: AppContext, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (the app run outside workerd): the promise still runs.
  }
}

export async function authenticated(c: AppContext): Promise<Principal> {
  const known = c.get("principal");
  if (known) return known;
  const outcome = await authenticate(c.req.header("authorization"), config(c), () => database(c));
  if (!outcome.ok) {
    await reportFailedAuthentication(c, outcome);
    throw refusal(outcome);
  }
  const p = outcome.principal;
  c.set("principal", p);
  if (p.kind === "api_key") recordKeyUse(c, p.keyId, p.clientId);
  c.get("log").set({
    auth: p.kind === "user" ? { method: outcome.method, userId: p.userId, role: p.role } : { method: outcome.method, keyId: p.keyId },
    tenantId: p.clientId,
  });
  return p;
}

// Per isolate: when each key's lastUsedAt was last written, so a busy key costs one write a minute.
const lastUseWritten = new Map<string, number>();
const LAST_USED_RESOLUTION_MS = 60_000;

/** Off the hot path: after the response, at most once a minute per key and isolate. */
function recordKeyUse(c: AppContext, keyId: string, clientId: string): void {
  const now = Date.now();
  if (now - (lastUseWritten.get(keyId) ?? 0) < LAST_USED_RESOLUTION_MS) return;
  lastUseWritten.set(keyId, now);
  if (lastUseWritten.size > 10_000) lastUseWritten.clear();
  // Its own trace id: this write happens after the response and is not part of the request's budget.
  const db = createDatabase(config(c), { requestId: `${c.get("requestId")}.last-used` });
  const write = tenantBatch(db, { clientId }, [
    db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiKeys.id, keyId)),
  ]).catch((err: unknown) => writeLog("warn", "api_key_last_used_failed", { keyId, error: describeError(err) }));
  try {
    c.executionCtx.waitUntil(write);
  } catch {
    // No execution context (unit tests of the app in Node): the promise still runs.
  }
}

function callerOf(p: Principal): Caller {
  return p.kind === "user"
    ? { kind: "user", role: p.role, tenantStatus: p.clientStatus }
    : { kind: "api_key", scopes: p.scopes, tenantStatus: p.clientStatus };
}

/**
 * The tenant a request acts on: the caller's own client, or for SUPER_ADMIN the `?clientId=` they
 * choose. Naming another tenant's id is answered like a missing one (404), never 403.
 */
function resolveTenant(c: AppContext, p: Principal, action: Action): string | null {
  const needsTenant = ((POLICY[action] as { tenant?: "required" | "optional" }).tenant ?? "required") === "required";
  const requested = c.req.query("clientId");
  if (p.kind === "user" && p.role === "SUPER_ADMIN") {
    if (requested) return requested;
    if (needsTenant) {
      throw invalidRequest("Choose a client with ?clientId= (SUPER_ADMIN acts on every tenant).", [
        { path: "clientId", message: "Required for SUPER_ADMIN" },
      ]);
    }
    return p.clientId;
  }
  if (requested && requested !== p.clientId) throw notFound("No client with this id.");
  if (!p.clientId && needsTenant) {
    throw new ApiError("forbidden", "This user is not assigned to a client yet.");
  }
  return p.clientId;
}
