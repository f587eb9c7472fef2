// Route guard: authenticate once per request, authorize the route's action against the policy
// table, and settle which tenant the request acts on. Routes declare `middleware: guard("x.y")`.
import type { MiddlewareHandler } from "hono";
import { ApiError, invalidRequest, notFound } from "../lib/errors.js";
import { config, database, type AppContext, type AppEnv } from "../http/context.js";
import { authenticate, refusal } from "./authenticate.js";
import { authorize, POLICY, type Action, type Caller } from "./policy.js";
import type { Principal } from "./principal.js";

export function guard(action: Action): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = await authenticated(c);
    const tenantId = resolveTenant(c, principal, action);
    const decision = authorize(callerOf(principal), action);
    if (!decision.allowed) throw new ApiError(403, "forbidden", decision.reason);
    c.set("tenantId", tenantId);
    await next();
  };
}

export async function authenticated(c: AppContext): Promise<Principal> {
  const known = c.get("principal");
  if (known) return known;
  const outcome = await authenticate(c.req.header("authorization"), config(c), () => database(c));
  if (!outcome.ok) {
    c.get("log").set({ auth: { refused: outcome.status } });
    throw refusal(outcome);
  }
  const p = outcome.principal;
  c.set("principal", p);
  c.get("log").set({
    auth: p.kind === "user" ? { method: outcome.method, userId: p.userId, role: p.role } : { method: outcome.method, keyId: p.keyId },
    tenantId: p.clientId,
  });
  return p;
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
  const rule = POLICY[action] as { tenant?: "required" | "optional" };
  const requested = c.req.query("clientId");
  if (p.kind === "user" && p.role === "SUPER_ADMIN") {
    if (requested) return requested;
    if (rule.tenant === "required") {
      throw invalidRequest("Choose a client with ?clientId= (SUPER_ADMIN acts on every tenant).", [
        { path: "clientId", message: "Required for SUPER_ADMIN" },
      ]);
    }
    return p.clientId;
  }
  if (requested && requested !== p.clientId) throw notFound("No client with this id.");
  if (!p.clientId && rule.tenant === "required") {
    throw new ApiError(403, "forbidden", "This user is not assigned to a client yet.");
  }
  return p.clientId;
}
