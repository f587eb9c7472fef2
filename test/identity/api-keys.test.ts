import { beforeAll, describe, expect, it } from "vitest";
import { call, expectEnvelope } from "../support/api.js";
import { bearer, createTenant, createUser, ownerSql, type TestTenant } from "../support/fixtures.js";

let acme: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  [acme, other] = await Promise.all([createTenant(), createTenant()]);
});

const createKey = (token: string, body: unknown) =>
  call("/v1/api-keys", { method: "POST", headers: { ...bearer(token), "content-type": "application/json" }, body: JSON.stringify(body) });

describe("POST /v1/api-keys", () => {
  it("creates a key, shows it once, and stores only its hash", async () => {
    const res = await createKey(acme.admin.token, { name: "n8n production", scopes: ["executions:write", "quota:use"] });
    expect(res.status).toBe(201);
    const { key, ...meta } = res.body.data;
    expect(key).toMatch(/^apk_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(`apk_${meta.prefix}_`)).toBe(true);
    expect(meta).toMatchObject({ clientId: acme.clientId, name: "n8n production", createdBy: acme.admin.id, revokedAt: null });

    const [row] = await ownerSql.query(`select * from api_keys where id = $1`, [meta.id]);
    expect(JSON.stringify(row)).not.toContain(key.slice("apk_xxxxxxxx_".length));
    expect(row!.keyHash).toMatch(/^[0-9a-f]{64}$/);

    const listed = await call("/v1/api-keys", { headers: bearer(acme.admin.token) });
    expect(JSON.stringify(listed.body)).not.toContain(key);
  });

  it("makes keys with at least 128 bits of randomness that never repeat", async () => {
    const keys = await Promise.all([1, 2, 3].map(() => createKey(acme.admin.token, { name: "k", scopes: ["reports:read"] })));
    const secrets = keys.map((k) => k.body.data.key.slice("apk_xxxxxxxx_".length) as string);
    expect(new Set(secrets).size).toBe(3);
    // 43 base64url characters = 256 bits.
    for (const s of secrets) expect(s.length * 6).toBeGreaterThanOrEqual(128);
  });

  it("rejects unknown or repeated scopes, an empty name and a past expiry with details", async () => {
    const res = await createKey(acme.admin.token, {
      name: "",
      scopes: ["root", "quota:use", "quota:use"],
      expiresAt: "2020-01-01T00:00:00Z",
    });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "scopes.0", "expiresAt"]));
  });

  it("rejects fields it does not know", async () => {
    const res = await createKey(acme.admin.token, { name: "x", scopes: ["quota:use"], clientId: other.clientId });
    expect(res.status).toBe(400);
  });

  it("lets a SUPER_ADMIN create a key for a tenant named with ?clientId=, and requires the choice", async () => {
    const root = await createUser({ clientId: null, role: "SUPER_ADMIN" });
    const missing = await createKey(root.token, { name: "x", scopes: ["quota:use"] });
    expect(missing.status).toBe(400);
    const res = await call(`/v1/api-keys?clientId=${other.clientId}`, {
      method: "POST",
      headers: { ...bearer(root.token), "content-type": "application/json" },
      body: JSON.stringify({ name: "ops", scopes: ["quota:use"] }),
    });
    expect(res.status).toBe(201);
    expect(res.body.data.clientId).toBe(other.clientId);

    const nowhere = await call(`/v1/api-keys?clientId=no-such-client`, {
      method: "POST",
      headers: { ...bearer(root.token), "content-type": "application/json" },
      body: JSON.stringify({ name: "ops", scopes: ["quota:use"] }),
    });
    expect(nowhere.status).toBe(404);
  });
});

describe("an API key in use", () => {
  it("authenticates as its client (a valid key on a route its scopes do not cover is 403, not 401)", async () => {
    const created = await createKey(acme.admin.token, { name: "m", scopes: ["reports:read"] });
    const res = await call("/v1/me", { headers: bearer(created.body.data.key) });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/API key/);
  });

  it("records lastUsedAt after the response", async () => {
    const created = await createKey(acme.admin.token, { name: "m", scopes: ["reports:read"] });
    await call("/v1/me", { headers: bearer(created.body.data.key) });
    let lastUsedAt: unknown = null;
    for (let i = 0; i < 50 && !lastUsedAt; i++) {
      [{ lastUsedAt }] = (await ownerSql.query(`select "lastUsedAt" from api_keys where id = $1`, [created.body.data.id])) as [
        { lastUsedAt: unknown },
      ];
      if (!lastUsedAt) await new Promise((r) => setTimeout(r, 100));
    }
    expect(lastUsedAt).not.toBeNull();
  });
});

describe("GET /v1/api-keys", () => {
  it("lists the tenant's keys newest first, in pages", async () => {
    const tenant = await createTenant();
    for (const name of ["first", "second", "third"]) await createKey(tenant.admin.token, { name, scopes: ["quota:use"] });
    const page1 = await call("/v1/api-keys?limit=2", { headers: bearer(tenant.admin.token) });
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((k: { name: string }) => k.name)).toEqual(["third", "second"]);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await call(`/v1/api-keys?limit=2&cursor=${page1.body.nextCursor}`, { headers: bearer(tenant.admin.token) });
    expect(page2.body.data.map((k: { name: string }) => k.name)).toEqual(["first"]);
    expect(page2.body.nextCursor).toBeNull();
  });

  it("answers 400 to a forged cursor and an out-of-range limit", async () => {
    expect((await call("/v1/api-keys?cursor=%%%", { headers: bearer(acme.admin.token) })).status).toBe(400);
    expect((await call("/v1/api-keys?limit=1000", { headers: bearer(acme.admin.token) })).status).toBe(400);
  });
});

describe("DELETE /v1/api-keys/:id", () => {
  it("revokes a key: refused at once, and revoking again keeps the first time", async () => {
    const created = await createKey(acme.admin.token, { name: "to revoke", scopes: ["reports:read"] });
    const key = created.body.data.key;
    expect((await call("/v1/me", { headers: bearer(key) })).status).toBe(403); // cached as valid

    const revoked = await call(`/v1/api-keys/${created.body.data.id}`, { method: "DELETE", headers: bearer(acme.admin.token) });
    expect(revoked.status).toBe(200);
    expect(revoked.body.data.revokedAt).toEqual(expect.any(String));

    const after = await call("/v1/me", { headers: bearer(key) });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toMatch(/^Bearer/);

    const again = await call(`/v1/api-keys/${created.body.data.id}`, { method: "DELETE", headers: bearer(acme.admin.token) });
    expect(again.status).toBe(200);
    expect(again.body.data.revokedAt).toBe(revoked.body.data.revokedAt);
  });

  it("answers another tenant's key id exactly like a missing one", async () => {
    const theirs = await createKey(other.admin.token, { name: "theirs", scopes: ["reports:read"] });
    const cross = await call(`/v1/api-keys/${theirs.body.data.id}`, { method: "DELETE", headers: bearer(acme.admin.token) });
    const missing = await call(`/v1/api-keys/does-not-exist`, { method: "DELETE", headers: bearer(acme.admin.token) });
    expect(cross.status).toBe(404);
    expect(missing.status).toBe(404);
    expect({ ...cross.body.error, requestId: "" }).toEqual({ ...missing.body.error, requestId: "" });
    const [row] = await ownerSql.query(`select "revokedAt" from api_keys where id = $1`, [theirs.body.data.id]);
    expect(row!.revokedAt).toBeNull();
  });
});
