// The shared security suite: every registered route, attacked the same way.
import { beforeAll, describe, expect, it } from "vitest";
import { FORGED_KINDS } from "../../dev/authorizer/forge.js";
import { USER_ROLES, type UserRole } from "../../src/auth/policy.js";
import { call } from "../support/api.js";
import {
  bearer,
  createApiKey,
  createTenant,
  createUser,
  forgeToken,
  mintToken,
  signatureHeaders,
  type TestTenant,
  type TestUser,
} from "../support/fixtures.js";
import { SECURED_ROUTES, type RouteRequest, type SecuredRoute } from "./registry.js";

let home: TestTenant;
let victim: TestTenant;
let suspended: TestTenant;
/** For SUPER_ADMIN-only routes (e.g. POST /v1/clients): belongs to no tenant. */
let root: TestUser;

beforeAll(async () => {
  [home, victim, suspended, root] = await Promise.all([
    createTenant(),
    createTenant(),
    createTenant({ status: "SUSPENDED" }),
    createUser({ clientId: null, role: "SUPER_ADMIN" }),
  ]);
});

function send(route: SecuredRoute, req: RouteRequest, headers: Record<string, string> = {}) {
  return call(req.path, {
    method: route.method,
    headers: { ...headers, ...(req.body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
  });
}

const userOf = (t: TestTenant, role: UserRole) =>
  role === "ADMIN" ? t.admin : role === "USER" ? t.user : role === "VIEWER" ? t.viewer : root;

/** A credential the route allows for tenant t: a person of its role, or (API-key-only routes) a key with its scope. */
async function allowedCaller(t: TestTenant, route: SecuredRoute): Promise<Record<string, string>> {
  if (!route.role && route.scope) return bearer((await createApiKey(t.clientId, [route.scope])).key);
  return bearer(userOf(t, route.role ?? "ADMIN")!.token);
}

/** The next role down from the route's minimum, if any. */
function roleBelow(role: UserRole): UserRole | undefined {
  const order: UserRole[] = ["VIEWER", "USER", "ADMIN", "SUPER_ADMIN"];
  return order[order.indexOf(role) - 1];
}

const FORGED_FOR_SUITE = FORGED_KINDS.filter((k) => k !== "missing_exp" && k !== "missing_sub");

describe.each(SECURED_ROUTES)("$method $path", (route) => {
  it("answers 401 with WWW-Authenticate when no credential is sent", async () => {
    const res = await send(route, await route.request(home));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it.each(["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not.a.jwt", "Bearer apk_short", "bearer a b c"])(
    "answers 401 to a malformed Authorization header (%s)",
    async (header) => {
      const res = await send(route, await route.request(home), { Authorization: header });
      expect(res.status).toBe(401);
    },
  );

  it.each(FORGED_FOR_SUITE)("answers 401 to a forged or unusable token: %s", async (kind) => {
    const token = await forgeToken(kind, (userOf(home, route.role ?? "ADMIN") ?? home.admin).authorizerId);
    const res = await send(route, await route.request(home), bearer(token));
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("answers 403 to a valid token of a user who is not provisioned", async () => {
    const res = await send(route, await route.request(home), bearer(await mintToken(`auth-unprovisioned-${Date.now()}`)));
    expect(res.status).toBe(403);
  });

  it("answers 403 to a valid token of an inactive or suspended user", async () => {
    for (const status of ["INACTIVE", "SUSPENDED", "PENDING_VERIFICATION"] as const) {
      const superAdminOnly = route.role === "SUPER_ADMIN";
      const u = await createUser({
        clientId: superAdminOnly ? null : home.clientId,
        role: superAdminOnly ? "SUPER_ADMIN" : "ADMIN",
        status,
      });
      const res = await send(route, await route.request(home), bearer(u.token));
      expect(res.status, status).toBe(403);
    }
  });

  if (route.role && roleBelow(route.role)) {
    it(`answers 403 to a role below ${route.role}`, async () => {
      for (const role of USER_ROLES.filter((r) => r !== "SUPER_ADMIN")) {
        const u = userOf(home, role)!;
        const res = await send(route, await route.request(home), bearer(u.token));
        const order: UserRole[] = ["VIEWER", "USER", "ADMIN", "SUPER_ADMIN"];
        const allowed = order.indexOf(role) >= order.indexOf(route.role!);
        if (!allowed) expect(res.status, role).toBe(403);
      }
    });
  }

  it(route.scope ? `answers 403 to an API key without ${route.scope}` : "answers 403 to any API key (people only)", async () => {
    const scopes = route.scope ? (["workflows:read"] as const).filter((s) => s !== route.scope) : (["reports:read", "quota:use"] as const);
    const key = await createApiKey(home.clientId, [...(scopes.length ? scopes : ["reports:read" as const])]);
    const res = await send(route, await route.request(home), bearer(key.key));
    expect(res.status).toBe(403);
  });

  if (route.scope) {
    it("answers 401 to a signing key's request that is unsigned, wrongly signed or replayed, and serves it signed", async () => {
      const key = await createApiKey(home.clientId, [route.scope!], { signed: true, createdBy: home.admin.id });
      const req = await route.request(home);
      const body = req.body !== undefined ? JSON.stringify(req.body) : "";
      const unsigned = await send(route, req, bearer(key.key));
      expect(unsigned.status).toBe(401);
      expect(unsigned.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const wrong = await send(route, req, { ...bearer(key.key), ...signatureHeaders("sig_another-secret", body) });
      expect(wrong.status).toBe(401);
      const headers = { ...bearer(key.key), ...signatureHeaders(key.signingSecret!, body) };
      const signed = await send(route, req, headers);
      expect(signed.status).toBeLessThan(300);
      expect((await send(route, req, headers)).status).toBe(401);
    });
  }

  it("answers 401 to a revoked or expired API key", async () => {
    for (const opts of [{ revoked: true }, { expired: true }]) {
      const key = await createApiKey(home.clientId, route.scope ? [route.scope] : ["reports:read"], opts);
      const res = await send(route, await route.request(home), bearer(key.key));
      expect(res.status, JSON.stringify(opts)).toBe(401);
    }
  });

  if (route.foreign && route.missing) {
    it("answers another tenant's id with 404, the same body as a missing id", async () => {
      const caller = await allowedCaller(home, route);
      const foreign = await send(route, await route.foreign!(victim), caller);
      const missing = await send(route, route.missing!(), caller);
      expect(foreign.status).toBe(404);
      expect(missing.status).toBe(404);
      expect({ ...foreign.body.error, requestId: null }).toEqual({ ...missing.body.error, requestId: null });
    });
  }

  // A SUPER_ADMIN acts on every tenant whatever its status: only members' writes are refused.
  if (route.writes && route.role !== "SUPER_ADMIN") {
    it("answers 403 to a write for a suspended client", async () => {
      const res = await send(route, await route.request(suspended), await allowedCaller(suspended, route));
      expect(res.status).toBe(403);
    });
  }

  it("serves the allowed caller (so the refusals above are not vacuous)", async () => {
    const res = await send(route, await route.request(home), await allowedCaller(home, route));
    expect(res.status).toBeLessThan(300);
  });
});
