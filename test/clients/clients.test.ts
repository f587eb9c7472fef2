import { beforeAll, describe, expect, it } from "vitest";
import { call, expectEnvelope } from "../support/api.js";
import { api } from "../support/client.js";
import { createExecution, createWorkflow, uniqueSlug } from "../support/clients-fixtures.js";
import { bearer, createTenant, createUser, ownerSql, type TestTenant, type TestUser } from "../support/fixtures.js";

let acme: TestTenant;
let other: TestTenant;
let root: TestUser;

beforeAll(async () => {
  [acme, other, root] = await Promise.all([
    createTenant({ name: "Acme" }),
    createTenant({ name: "Other" }),
    createUser({ clientId: null, role: "SUPER_ADMIN" }),
  ]);
});

const json = (token: string) => ({ ...bearer(token), "content-type": "application/json" });
const post = (token: string, body: unknown) => call("/v1/clients", { method: "POST", headers: json(token), body: JSON.stringify(body) });
const patch = (token: string, id: string, body: unknown, query = "") =>
  call(`/v1/clients/${id}${query}`, { method: "PATCH", headers: json(token), body: JSON.stringify(body) });

describe("POST /v1/clients", () => {
  it("creates a client with the schema's defaults for what is not given", async () => {
    const slug = uniqueSlug("new");
    const res = await api.v1.clients.$post({ json: { name: "New Co", slug } }, { headers: bearer(root.token) });
    expect(res.status).toBe(201);
    if (res.status !== 201) return;
    const { data } = await res.json();
    expect(data).toMatchObject({
      name: "New Co",
      slug,
      domain: null,
      tier: "FREE",
      status: "TRIAL",
      settings: {},
      branding: null,
      maxUsers: 5,
      maxWorkflows: 10,
      maxAdAccounts: 3,
      trialEndsAt: null,
    });
    const [row] = await ownerSql.query(
      `select abs(extract(epoch from ("createdAt" - (now() at time zone 'utc')))) as skew from clients where id = $1`,
      [data.id],
    );
    expect(Number(row!.skew)).toBeLessThan(60);
  });

  it("takes the plan, domain, settings and trial end when given", async () => {
    const res = await post(root.token, {
      name: "Plan Co",
      slug: uniqueSlug("plan"),
      tier: "ENTERPRISE",
      status: "ACTIVE",
      domain: `${uniqueSlug("plan")}.test`,
      settings: { retentionDays: 30, theme: "dark" },
      maxUsers: 100,
      maxWorkflows: 200,
      maxAdAccounts: 50,
      trialEndsAt: "2027-01-31T00:00:00+02:00",
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      tier: "ENTERPRISE",
      status: "ACTIVE",
      settings: { retentionDays: 30, theme: "dark" },
      maxUsers: 100,
      trialEndsAt: "2027-01-30T22:00:00.000Z",
    });
  });

  it("answers 409 conflict naming the slug or domain already taken", async () => {
    const slug = uniqueSlug("taken");
    const domain = `${uniqueSlug("taken")}.test`;
    expect((await post(root.token, { name: "First", slug, domain })).status).toBe(201);

    const sameSlug = await post(root.token, { name: "Second", slug });
    expect(sameSlug.status).toBe(409);
    expectEnvelope(sameSlug.body, "conflict");
    expect(sameSlug.body.error.details).toEqual([{ path: "slug", message: "Already taken" }]);

    const sameDomain = await post(root.token, { name: "Third", slug: uniqueSlug("other"), domain });
    expect(sameDomain.status).toBe(409);
    expect(sameDomain.body.error.details).toEqual([{ path: "domain", message: "Already taken" }]);
  });

  it("rejects a malformed slug, bad settings, unknown fields and wrong-case enums with details", async () => {
    const res = await post(root.token, { name: "", slug: "Acme_Retail", tier: "pro", settings: { retentionDays: 0 }, owner: "x" });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "slug", "tier", "settings.retentionDays"]));
    expect(res.body.error.details.find((d: { path: string }) => d.path === "tier").message).toMatch(/FREE, BASIC, PRO, ENTERPRISE/);
    expect((await post(root.token, { name: "X", slug: uniqueSlug("x"), owner: "x" })).status).toBe(400);
    expect((await post(root.token, { name: "X", slug: "-x-" })).status).toBe(400);
  });

  it("is refused to a client's ADMIN (SUPER_ADMIN only)", async () => {
    const res = await post(acme.admin.token, { name: "Mine", slug: uniqueSlug("mine") });
    expect(res.status).toBe(403);
    expectEnvelope(res.body, "forbidden");
  });
});

describe("GET /v1/clients", () => {
  it("gives a member a list of their own client only", async () => {
    const res = await api.v1.clients.$get({ query: {} }, { headers: bearer(acme.viewer.token) });
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    const body = await res.json();
    expect(body.data.map((c) => c.id)).toEqual([acme.clientId]);
    expect(body.nextCursor).toBeNull();
  });

  it("applies the status and tier filters to a member's list", async () => {
    const miss = await call("/v1/clients?status=TRIAL", { headers: bearer(acme.user.token) });
    expect(miss.body.data).toEqual([]);
    const hit = await call("/v1/clients?status=ACTIVE&tier=PRO", { headers: bearer(acme.user.token) });
    expect(hit.body.data.map((c: { id: string }) => c.id)).toEqual([acme.clientId]);
  });

  it("gives a SUPER_ADMIN every client, newest first, in stable pages", async () => {
    const created: string[] = [];
    for (const name of ["P1", "P2", "P3"]) created.push((await post(root.token, { name, slug: uniqueSlug("page") })).body.data.id);
    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50 && !created.every((id) => seen.some((s) => s.id === id)); pages++) {
      const res = await call(`/v1/clients?limit=2&status=TRIAL${cursor ? `&cursor=${cursor}` : ""}`, { headers: bearer(root.token) });
      expect(res.status).toBe(200);
      seen.push(...res.body.data);
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(new Set(seen.map((s) => s.id)).size).toBe(seen.length);
    const order = seen.map((s) => s.createdAt);
    expect(order).toEqual([...order].sort().reverse());
    // Made one after the other: the newest comes first.
    const positions = created.map((id) => seen.findIndex((s) => s.id === id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
  });

  it("gives a SUPER_ADMIN who names ?clientId= that client only", async () => {
    const res = await call(`/v1/clients?clientId=${other.clientId}`, { headers: bearer(root.token) });
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([other.clientId]);
  });

  it("rejects a bad limit, cursor or filter value", async () => {
    for (const q of ["limit=0", "limit=101", "limit=x", "cursor=@@@", "status=active", "tier=GOLD"]) {
      const res = await call(`/v1/clients?${q}`, { headers: bearer(root.token) });
      expect(res.status, q).toBe(400);
    }
  });
});

describe("GET /v1/clients/{id}", () => {
  it("serves any member of the client, and a SUPER_ADMIN", async () => {
    for (const token of [acme.viewer.token, root.token]) {
      const res = await api.v1.clients[":id"].$get({ param: { id: acme.clientId } }, { headers: bearer(token) });
      expect(res.status).toBe(200);
      if (res.status === 200) expect((await res.json()).data).toMatchObject({ id: acme.clientId, name: "Acme", tier: "PRO" });
    }
  });

  it("answers another client's id like a missing one", async () => {
    const foreign = await call(`/v1/clients/${other.clientId}`, { headers: bearer(acme.admin.token) });
    const missing = await call(`/v1/clients/nope`, { headers: bearer(acme.admin.token) });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.body.error.message).toBe(missing.body.error.message);
  });

  it("answers a SUPER_ADMIN 404 for a missing id, or a ?clientId= that contradicts the path", async () => {
    expect((await call(`/v1/clients/nope`, { headers: bearer(root.token) })).status).toBe(404);
    expect((await call(`/v1/clients/${acme.clientId}?clientId=${other.clientId}`, { headers: bearer(root.token) })).status).toBe(404);
  });
});

describe("PATCH /v1/clients/{id}", () => {
  it("lets the client's ADMIN change name, domain and branding", async () => {
    const t = await createTenant();
    const domain = `${uniqueSlug("d")}.test`;
    const res = await api.v1.clients[":id"].$patch(
      { param: { id: t.clientId }, json: { name: "Renamed", domain, branding: { primaryColor: "#0f62fe" } } },
      { headers: bearer(t.admin.token) },
    );
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    expect((await res.json()).data).toMatchObject({ name: "Renamed", domain, branding: { primaryColor: "#0f62fe" } });
    const cleared = await patch(t.admin.token, t.clientId, { domain: null, branding: null });
    expect(cleared.body.data).toMatchObject({ domain: null, branding: null });
  });

  it("merges settings one level deep: given keys replace, null removes, absent keys stay", async () => {
    const t = await createTenant();
    await patch(t.admin.token, t.clientId, { settings: { retentionDays: 90, theme: "dark", executionTimeoutMinutes: 30 } });
    const res = await patch(t.admin.token, t.clientId, { settings: { retentionDays: 30, executionTimeoutMinutes: null } });
    expect(res.status).toBe(200);
    expect(res.body.data.settings).toEqual({ retentionDays: 30, theme: "dark" });
  });

  it("rejects retentionDays outside 1–3650, a non-positive timeout, an empty body and unknown fields", async () => {
    for (const body of [
      { settings: { retentionDays: 0 } },
      { settings: { retentionDays: 3651 } },
      { settings: { retentionDays: 7.5 } },
      { settings: { executionTimeoutMinutes: 0 } },
      {},
      { slug: "renamed" },
    ]) {
      const res = await patch(acme.admin.token, acme.clientId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expectEnvelope(res.body, "invalid_request");
    }
  });

  it("refuses an ADMIN who names a plan field, changing nothing", async () => {
    const t = await createTenant();
    const res = await patch(t.admin.token, t.clientId, { name: "Sneaky", maxUsers: 1000, tier: "ENTERPRISE" });
    expect(res.status).toBe(403);
    expectEnvelope(res.body, "forbidden");
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["maxUsers", "tier"]);
    const [row] = await ownerSql.query(`select name, "maxUsers", tier from clients where id = $1`, [t.clientId]);
    expect(row).toMatchObject({ maxUsers: 20, tier: "PRO" });
    expect(row!.name).not.toBe("Sneaky");
  });

  it("lets a SUPER_ADMIN change the plan and dates", async () => {
    const t = await createTenant();
    const res = await patch(root.token, t.clientId, {
      tier: "ENTERPRISE",
      maxUsers: 100,
      maxWorkflows: 500,
      maxAdAccounts: 40,
      trialEndsAt: null,
      subscriptionEndsAt: "2028-01-01T00:00:00Z",
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      tier: "ENTERPRISE",
      maxUsers: 100,
      maxWorkflows: 500,
      maxAdAccounts: 40,
      subscriptionEndsAt: "2028-01-01T00:00:00.000Z",
    });
  });

  it("answers 409 conflict for a domain another client uses", async () => {
    const t = await createTenant();
    const domain = `${uniqueSlug("dup")}.test`;
    expect((await patch(acme.admin.token, acme.clientId, { domain })).status).toBe(200);
    const res = await patch(t.admin.token, t.clientId, { domain });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual([{ path: "domain", message: "Already taken" }]);
  });

  it("makes a suspension take effect at once for the client's users, and a reactivation too", async () => {
    const t = await createTenant();
    const write = () =>
      call("/v1/api-keys", { method: "POST", headers: json(t.admin.token), body: JSON.stringify({ name: "k", scopes: ["quota:use"] }) });
    expect((await write()).status).toBe(201); // the admin's principal is now cached on this isolate
    expect((await patch(root.token, t.clientId, { status: "SUSPENDED" })).status).toBe(200);
    const refused = await write();
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/suspended/);
    expect((await patch(root.token, t.clientId, { status: "ACTIVE" })).status).toBe(200);
    expect((await write()).status).toBe(201);
  });
});

describe("GET /v1/clients/{id}/usage", () => {
  it("counts users, workflows and ad accounts against the plan, and the last 30 days of executions", async () => {
    const t = await createTenant();
    await createUser({ clientId: t.clientId, role: "USER", status: "INACTIVE" });
    await createUser({ clientId: t.clientId, role: "USER", status: "PENDING_VERIFICATION" });
    const workflowId = await createWorkflow(t.clientId, t.admin.id);
    await Promise.all([
      createExecution(t.clientId, workflowId, { status: "SUCCESS", daysAgo: 1, apiCallsUsed: 10 }),
      createExecution(t.clientId, workflowId, { status: "SUCCESS", daysAgo: 29, apiCallsUsed: 5 }),
      createExecution(t.clientId, workflowId, { status: "FAILED", daysAgo: 2, apiCallsUsed: 1 }),
      createExecution(t.clientId, workflowId, { status: "TIMEOUT", daysAgo: 3 }),
      createExecution(t.clientId, workflowId, { status: "RUNNING", daysAgo: 0 }),
      createExecution(t.clientId, workflowId, { status: "SUCCESS", daysAgo: 31, apiCallsUsed: 1000 }),
    ]);
    const res = await api.v1.clients[":id"].usage.$get({ param: { id: t.clientId } }, { headers: bearer(t.viewer.token) });
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    expect((await res.json()).data).toEqual({
      users: { current: 4, max: 20 },
      workflows: { current: 1, max: 10 },
      adAccounts: { current: 0, max: 3 },
      executions: { last30Days: 5, successful: 2, failed: 2 },
      apiCalls: { last30Days: 16 },
    });
  });

  it("answers zeros for a client with no activity, for a SUPER_ADMIN too", async () => {
    const res = await call(`/v1/clients/${other.clientId}/usage`, { headers: bearer(root.token) });
    expect(res.status).toBe(200);
    expect(res.body.data.executions).toEqual({ last30Days: 0, successful: 0, failed: 0 });
    expect(res.body.data.apiCalls).toEqual({ last30Days: 0 });
  });

  it("answers another client's id, or a missing one, with 404", async () => {
    expect((await call(`/v1/clients/${other.clientId}/usage`, { headers: bearer(acme.viewer.token) })).status).toBe(404);
    expect((await call(`/v1/clients/nope/usage`, { headers: bearer(root.token) })).status).toBe(404);
  });
});
