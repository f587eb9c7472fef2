import { beforeAll, describe, expect, it } from "vitest";
import { call, expectEnvelope } from "../support/api.js";
import { api } from "../support/client.js";
import { bearer, createTenant, createUser, mintToken, ownerSql, type TestTenant } from "../support/fixtures.js";

let acme: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  [acme, other] = await Promise.all([createTenant({ name: "Acme" }), createTenant({ name: "Other" })]);
  // One INACTIVE user must not count against the plan.
  await createUser({ clientId: acme.clientId, role: "USER", status: "INACTIVE" });
  await ownerSql.query(
    `insert into ad_accounts (id, "metaAdAccountId", "accessToken", name, "clientId", "updatedAt")
     values ($1, $2, 'x', 'Main', $3, now())`,
    [`acc_${acme.clientId}`, `act_${Date.now()}${Math.floor(Math.random() * 1e6)}`, acme.clientId],
  );
});

describe("GET /v1/me", () => {
  it("returns the caller, their client and usage against the plan limits", async () => {
    const res = await api.v1.me.$get({ query: {} }, { headers: bearer(acme.admin.token) });
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(data.user).toMatchObject({ id: acme.admin.id, email: acme.admin.email, role: "ADMIN", clientId: acme.clientId });
    expect(data.client).toMatchObject({ id: acme.clientId, name: "Acme", status: "ACTIVE" });
    expect(data.limits).toEqual({
      users: { current: 3, max: 20 },
      workflows: { current: 0, max: 10 },
      adAccounts: { current: 1, max: 3 },
    });
  });

  it("never shows fields outside the response schema", async () => {
    const res = await call("/v1/me", { headers: bearer(acme.viewer.token) });
    expect(Object.keys(res.body.data.user)).not.toContain("authorizerId");
    expect(Object.keys(res.body.data.user)).not.toContain("tokensValidAfter");
  });

  it("lets a SUPER_ADMIN without a client see themselves, and a client they pick with ?clientId=", async () => {
    const root = await createUser({ clientId: null, role: "SUPER_ADMIN" });
    const alone = await call("/v1/me", { headers: bearer(root.token) });
    expect(alone.status).toBe(200);
    expect(alone.body.data).toMatchObject({ user: { id: root.id, role: "SUPER_ADMIN", clientId: null }, client: null, limits: null });

    const picked = await call(`/v1/me?clientId=${other.clientId}`, { headers: bearer(root.token) });
    expect(picked.status).toBe(200);
    expect(picked.body.data.client.id).toBe(other.clientId);
    expect(picked.body.data.limits.users.current).toBe(3);
  });

  it("answers 404 when a SUPER_ADMIN picks a client that does not exist", async () => {
    const root = await createUser({ clientId: null, role: "SUPER_ADMIN" });
    const res = await call(`/v1/me?clientId=nope`, { headers: bearer(root.token) });
    expect(res.status).toBe(404);
  });

  it("answers 404 when a tenant user names another tenant's id", async () => {
    const res = await call(`/v1/me?clientId=${other.clientId}`, { headers: bearer(acme.user.token) });
    expect(res.status).toBe(404);
    expectEnvelope(res.body, "not_found");
  });

  it("refuses a valid token of a user who is not provisioned, saying so", async () => {
    const res = await call("/v1/me", { headers: bearer(await mintToken("auth-never-provisioned")) });
    expect(res.status).toBe(403);
    expectEnvelope(res.body, "forbidden");
    expect(res.body.error.message).toMatch(/not provisioned/);
  });
});
