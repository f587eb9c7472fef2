// The round-trip budget (ARCHITECTURE "One round trip per request"), for every secured route of the
// security registry: a request costs at most two SQL-over-HTTP requests when the caller's principal
// is not cached yet (lookup + one batch) and at most one once it is. Counted per request id at the
// local SQL endpoint, so other test files' traffic on the shared stack cannot blur the count.
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/api.js";
import { bearer, createApiKey, createTenant, createUser, ownerSql, type TestTenant } from "../support/fixtures.js";
import { sqlRequestsOf, traceId } from "../support/round-trips.js";
import { SECURED_ROUTES, type RouteRequest, type SecuredRoute } from "../security/registry.js";

let home: TestTenant;

beforeAll(async () => {
  home = await createTenant();
  // Room for every creation the routes below make, so a limit never turns a measured request into a 409.
  await ownerSql.query(`update clients set "maxUsers" = 10000, "maxWorkflows" = 10000, "maxAdAccounts" = 10000 where id = $1`, [
    home.clientId,
  ]);
});

/** A credential nobody has used yet, so its principal is not cached: a person of the route's role, else an API key. */
async function freshCredential(route: SecuredRoute): Promise<string> {
  if (route.role === "SUPER_ADMIN") return (await createUser({ clientId: null, role: "SUPER_ADMIN" })).token;
  if (route.role) return (await createUser({ clientId: home.clientId, role: route.role })).token;
  if (!route.scope) throw new Error(`${route.method} ${route.path}: neither a role nor a scope`);
  return (await createApiKey(home.clientId, [route.scope])).key;
}

async function send(route: SecuredRoute, req: RouteRequest, credential: string) {
  const requestId = traceId();
  const res = await call(req.path, {
    method: route.method,
    headers: {
      ...bearer(credential),
      "X-Request-Id": requestId,
      ...(req.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
  });
  return { status: res.status, body: res.body, sqlRequests: await sqlRequestsOf(requestId) };
}

describe.each(SECURED_ROUTES)("$method $path", (route) => {
  it("costs at most two SQL-over-HTTP requests cold and exactly one warm", async () => {
    const credential = await freshCredential(route);
    const cold = await send(route, await route.request(home), credential);
    expect(cold.status, JSON.stringify(cold.body)).toBeLessThan(300);
    expect(cold.sqlRequests).toBeLessThanOrEqual(2);

    const warm = await send(route, await route.request(home), credential);
    expect(warm.status, JSON.stringify(warm.body)).toBeLessThan(300);
    expect(warm.sqlRequests).toBe(1);
  });
});
