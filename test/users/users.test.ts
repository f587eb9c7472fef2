import { beforeAll, describe, expect, it } from "vitest";
import { call, expectEnvelope } from "../support/api.js";
import { api } from "../support/client.js";
import { bearer, createTenant, createUser, mintToken, ownerSql, type TestTenant, type TestUser } from "../support/fixtures.js";
import { countedUsers, setMaxUsers, uniqueEmail } from "../support/users-fixtures.js";

let acme: TestTenant;
let other: TestTenant;
let root: TestUser;

beforeAll(async () => {
  [acme, other, root] = await Promise.all([createTenant(), createTenant(), createUser({ clientId: null, role: "SUPER_ADMIN" })]);
});

const json = (token: string) => ({ ...bearer(token), "content-type": "application/json" });
const post = (token: string, body: unknown, query = "") =>
  call(`/v1/users${query}`, { method: "POST", headers: json(token), body: JSON.stringify(body) });
const patch = (token: string, id: string, body: unknown) =>
  call(`/v1/users/${id}`, { method: "PATCH", headers: json(token), body: JSON.stringify(body) });
const remove = (token: string, id: string) => call(`/v1/users/${id}`, { method: "DELETE", headers: bearer(token) });

describe("POST /v1/users", () => {
  it("invites a person without an Authorizer id: PENDING_VERIFICATION, a placeholder id, the email lowercased", async () => {
    const email = uniqueEmail("Invited").replace("invited", "INVITED");
    const res = await api.v1.users.$post({ json: { email, role: "USER", firstName: "Ivy" } }, { headers: bearer(acme.admin.token) });
    expect(res.status).toBe(201);
    if (res.status !== 201) return;
    const { data } = await res.json();
    expect(data).toMatchObject({
      email: email.toLowerCase(),
      role: "USER",
      status: "PENDING_VERIFICATION",
      invited: true,
      clientId: acme.clientId,
      firstName: "Ivy",
      lastName: null,
    });
    expect(Object.keys(data)).not.toContain("authorizerId");
    const [row] = await ownerSql.query(`select "authorizerId" from users where id = $1`, [data.id]);
    expect(row!.authorizerId).toBe(`pending:${data.id}`);
  });

  it("adds a person who already has an Authorizer account as ACTIVE, able to sign in at once", async () => {
    const sub = `auth-added-${Date.now()}-${Math.random()}`;
    const res = await post(acme.admin.token, { email: uniqueEmail("added"), role: "VIEWER", authorizerId: sub });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: "ACTIVE", invited: false, role: "VIEWER" });
    const me = await call("/v1/me", { headers: bearer(await mintToken(sub)) });
    expect(me.status).toBe(200);
    expect(me.body.data.user.id).toBe(res.body.data.id);
  });

  it("answers 409 conflict for an email (any case) or an authorizerId already used", async () => {
    const email = uniqueEmail("dup");
    expect((await post(acme.admin.token, { email, role: "VIEWER" })).status).toBe(201);
    const sameEmail = await post(other.admin.token, { email: email.toUpperCase(), role: "VIEWER" });
    expect(sameEmail.status).toBe(409);
    expectEnvelope(sameEmail.body, "conflict");
    expect(sameEmail.body.error.details).toEqual([{ path: "email", message: "Already used" }]);

    const sameSub = await post(acme.admin.token, { email: uniqueEmail("sub"), role: "VIEWER", authorizerId: acme.viewer.authorizerId });
    expect(sameSub.status).toBe(409);
    expect(sameSub.body.error.details).toEqual([{ path: "authorizerId", message: "Already used" }]);
  });

  it("rejects a bad email, a placeholder authorizerId, a wrong-case role and unknown fields", async () => {
    const res = await post(acme.admin.token, { email: "not-an-email", role: "viewer", authorizerId: "pending:abc" });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["authorizerId", "email", "role"]);
    expect((await post(acme.admin.token, { email: uniqueEmail(), role: "VIEWER", clientId: other.clientId })).status).toBe(400);
  });

  it("refuses to grant a role above the granter's (403), and SUPER_ADMIN to anyone (400)", async () => {
    const byAdmin = await post(acme.admin.token, { email: uniqueEmail(), role: "SUPER_ADMIN" });
    expect(byAdmin.status).toBe(403);
    expectEnvelope(byAdmin.body, "forbidden");
    const byRoot = await post(root.token, { email: uniqueEmail(), role: "SUPER_ADMIN" }, `?clientId=${acme.clientId}`);
    expect(byRoot.status).toBe(400);
    expect(byRoot.body.error.details).toEqual([{ path: "role", message: expect.stringMatching(/belongs to no client/) }]);
  });

  it("lets a SUPER_ADMIN add an ADMIN to a client named with ?clientId=, and 404 for a missing client", async () => {
    const res = await post(root.token, { email: uniqueEmail("boss"), role: "ADMIN" }, `?clientId=${other.clientId}`);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ clientId: other.clientId, role: "ADMIN" });
    expect((await post(root.token, { email: uniqueEmail(), role: "ADMIN" }, "?clientId=nope")).status).toBe(404);
  });

  it("answers 409 limit_reached with details when the plan is full (invitations count)", async () => {
    const t = await createTenant();
    await createUser({ clientId: t.clientId, role: "USER", status: "INACTIVE" }); // does not count
    await setMaxUsers(t.clientId, 4);
    expect((await post(t.admin.token, { email: uniqueEmail(), role: "USER" })).status).toBe(201);
    const res = await post(t.admin.token, { email: uniqueEmail(), role: "USER" });
    expect(res.status).toBe(409);
    expectEnvelope(res.body, "limit_reached");
    expect(res.body.error.details).toEqual([
      { path: "resource", message: "users" },
      { path: "current", message: "4" },
      { path: "max", message: "4" },
    ]);
  });

  it("admits exactly as many concurrent creations as the plan has room for", async () => {
    const t = await createTenant(); // 3 users
    await setMaxUsers(t.clientId, 6); // room for 3
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post(t.admin.token, { email: uniqueEmail(`race${i}`), role: "VIEWER" })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expectEnvelope(r.body, "limit_reached");
    expect(await countedUsers(t.clientId)).toBe(6);
  });
});

describe("GET /v1/users", () => {
  it("lists the client's users newest first to any member, never another client's", async () => {
    const t = await createTenant();
    const res = await api.v1.users.$get({ query: {} }, { headers: bearer(t.viewer.token) });
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    const { data, nextCursor } = await res.json();
    expect(data.map((u) => u.id).sort()).toEqual([t.admin.id, t.user.id, t.viewer.id].sort());
    expect(data.map((u) => u.createdAt)).toEqual(
      data
        .map((u) => u.createdAt)
        .sort()
        .reverse(),
    );
    expect(nextCursor).toBeNull();
  });

  it("pages with a cursor without repeating or skipping anyone", async () => {
    const t = await createTenant();
    for (let i = 0; i < 3; i++) await post(t.admin.token, { email: uniqueEmail(`page${i}`), role: "VIEWER" });
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(`/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { headers: bearer(t.user.token) });
      expect(res.status).toBe(200);
      ids.push(...res.body.data.map((u: { id: string }) => u.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it("filters by role and status", async () => {
    const t = await createTenant();
    const gone = await createUser({ clientId: t.clientId, role: "VIEWER", status: "INACTIVE" });
    const viewers = await call("/v1/users?role=VIEWER", { headers: bearer(t.viewer.token) });
    expect(viewers.body.data.map((u: { id: string }) => u.id).sort()).toEqual([t.viewer.id, gone.id].sort());
    const inactive = await call("/v1/users?status=INACTIVE", { headers: bearer(t.viewer.token) });
    expect(inactive.body.data.map((u: { id: string }) => u.id)).toEqual([gone.id]);
    expect((await call("/v1/users?role=Viewer", { headers: bearer(t.viewer.token) })).status).toBe(400);
  });
});

describe("GET /v1/users/{id}", () => {
  it("serves a user of the caller's client, and 404 for another client's or a missing id", async () => {
    const res = await api.v1.users[":id"].$get({ param: { id: acme.user.id } }, { headers: bearer(acme.viewer.token) });
    expect(res.status).toBe(200);
    if (res.status === 200) expect((await res.json()).data).toMatchObject({ id: acme.user.id, role: "USER", invited: false });
    const foreign = await call(`/v1/users/${other.user.id}`, { headers: bearer(acme.viewer.token) });
    const missing = await call(`/v1/users/nope`, { headers: bearer(acme.viewer.token) });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toBe(missing.body.error.message);
  });
});

describe("PATCH /v1/users/{id}", () => {
  it("changes names and role", async () => {
    const u = await createUser({ clientId: acme.clientId, role: "VIEWER" });
    const res = await api.v1.users[":id"].$patch(
      { param: { id: u.id }, json: { firstName: "Vera", lastName: "Viewer", role: "ADMIN" } },
      { headers: bearer(acme.admin.token) },
    );
    expect(res.status).toBe(200);
    if (res.status === 200) expect((await res.json()).data).toMatchObject({ firstName: "Vera", lastName: "Viewer", role: "ADMIN" });
    expect((await patch(acme.admin.token, u.id, { lastName: null })).body.data.lastName).toBeNull();
  });

  it("suspends a user, whose token is refused at once, and reactivates them", async () => {
    const u = await createUser({ clientId: acme.clientId, role: "USER" });
    expect((await call("/v1/me", { headers: bearer(u.token) })).status).toBe(200);
    expect((await patch(acme.admin.token, u.id, { status: "SUSPENDED" })).body.data.status).toBe("SUSPENDED");
    expect((await call("/v1/me", { headers: bearer(u.token) })).status).not.toBe(200);
    expect((await patch(acme.admin.token, u.id, { status: "ACTIVE" })).body.data.status).toBe("ACTIVE");
    const fresh = await mintToken(u.authorizerId, { issuedAt: Math.ceil(Date.now() / 1000) + 1 });
    expect((await call("/v1/me", { headers: bearer(fresh) })).status).toBe(200);
  });

  it("refuses an ADMIN who changes a user above them, or grants a role above their own", async () => {
    const boss = await createUser({ clientId: acme.clientId, role: "SUPER_ADMIN" });
    const above = await patch(acme.admin.token, boss.id, { firstName: "X" });
    expect(above.status).toBe(403);
    expectEnvelope(above.body, "forbidden");
    const grant = await patch(acme.admin.token, acme.viewer.id, { role: "SUPER_ADMIN" });
    expect(grant.status).toBe(403);
  });

  it("refuses changing one's own role or status (409), but not one's name", async () => {
    const t = await createTenant();
    expect((await patch(t.admin.token, t.admin.id, { role: "VIEWER" })).status).toBe(409);
    expect((await patch(t.admin.token, t.admin.id, { status: "SUSPENDED" })).status).toBe(409);
    expect((await patch(t.admin.token, t.admin.id, { firstName: "Me" })).status).toBe(200);
  });

  it("leaves an invitation's status to Authorizer (409)", async () => {
    const invited = await post(acme.admin.token, { email: uniqueEmail("inv"), role: "VIEWER" });
    const res = await patch(acme.admin.token, invited.body.data.id, { status: "ACTIVE" });
    expect(res.status).toBe(409);
    expectEnvelope(res.body, "conflict");
    const [row] = await ownerSql.query(`select status from users where id = $1`, [invited.body.data.id]);
    expect(row!.status).toBe("PENDING_VERIFICATION");
  });

  it("counts reactivating an INACTIVE user against maxUsers", async () => {
    const t = await createTenant(); // 3 users
    const gone = await createUser({ clientId: t.clientId, role: "VIEWER", status: "INACTIVE" });
    await setMaxUsers(t.clientId, 3);
    const full = await patch(t.admin.token, gone.id, { status: "ACTIVE" });
    expect(full.status).toBe(409);
    expectEnvelope(full.body, "limit_reached");
    expect(full.body.error.details).toEqual([
      { path: "resource", message: "users" },
      { path: "current", message: "3" },
      { path: "max", message: "3" },
    ]);
    await setMaxUsers(t.clientId, 4);
    expect((await patch(t.admin.token, gone.id, { status: "ACTIVE" })).status).toBe(200);
  });

  it("rejects INACTIVE or PENDING_VERIFICATION as a status, an empty body and unknown fields", async () => {
    for (const body of [{ status: "INACTIVE" }, { status: "PENDING_VERIFICATION" }, {}, { email: "x@y.test" }]) {
      const res = await patch(acme.admin.token, acme.viewer.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("answers 404 for another client's user", async () => {
    expect((await patch(acme.admin.token, other.viewer.id, { firstName: "X" })).status).toBe(404);
  });
});

describe("DELETE /v1/users/{id}", () => {
  it("deactivates (INACTIVE, tokens refused at once, row kept) and is harmless twice", async () => {
    const u = await createUser({ clientId: acme.clientId, role: "USER" });
    expect((await call("/v1/me", { headers: bearer(u.token) })).status).toBe(200);
    const res = await api.v1.users[":id"].$delete({ param: { id: u.id } }, { headers: bearer(acme.admin.token) });
    expect(res.status).toBe(200);
    if (res.status === 200) expect((await res.json()).data).toMatchObject({ id: u.id, status: "INACTIVE" });
    const refused = await call("/v1/me", { headers: bearer(u.token) });
    expect(refused.status).toBe(401);
    const [row] = await ownerSql.query(
      `select status, abs(extract(epoch from ("tokensValidAfter" - (now() at time zone 'utc')))) as skew from users where id = $1`,
      [u.id],
    );
    expect(row!.status).toBe("INACTIVE");
    expect(Number(row!.skew)).toBeLessThan(60);
    expect((await remove(acme.admin.token, u.id)).status).toBe(200);
  });

  it("refuses deactivating oneself (409) and a user above the caller (403)", async () => {
    const self = await remove(acme.admin.token, acme.admin.id);
    expect(self.status).toBe(409);
    expectEnvelope(self.body, "conflict");
    const boss = await createUser({ clientId: acme.clientId, role: "SUPER_ADMIN" });
    expect((await remove(acme.admin.token, boss.id)).status).toBe(403);
  });

  it("frees a place under maxUsers", async () => {
    const t = await createTenant();
    await setMaxUsers(t.clientId, 3);
    expect((await post(t.admin.token, { email: uniqueEmail(), role: "VIEWER" })).status).toBe(409);
    expect((await remove(t.admin.token, t.viewer.id)).status).toBe(200);
    expect((await post(t.admin.token, { email: uniqueEmail(), role: "VIEWER" })).status).toBe(201);
  });
});
