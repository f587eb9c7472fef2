import { beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../drizzle/ids.js";
import { expectEnvelope } from "../support/api.js";
import { api } from "../support/client.js";
import { bearer, createApiKey, createTenant, ownerSql, type TestTenant } from "../support/fixtures.js";
import { insertAdAccount, insertExecution, insertWorkflow } from "../support/workflow-fixtures.js";
import { detailPaths, send } from "./support.js";

let acme: TestTenant;
let other: TestTenant;
let acmeAccount: string;
let otherAccount: string;

beforeAll(async () => {
  [acme, other] = await Promise.all([createTenant(), createTenant()]);
  [acmeAccount, otherAccount] = await Promise.all([insertAdAccount(acme.clientId), insertAdAccount(other.clientId)]);
});

describe("GET /v1/workflows", () => {
  let t: TestTenant;
  let account: string;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await createTenant();
    account = await insertAdAccount(t.clientId);
    // Oldest first; two share a createdAt so the id breaks the tie.
    const specs = [
      { createdAt: "2026-01-01T00:00:00.000Z", status: "ACTIVE", type: "WEEKLY_REPORT" },
      { createdAt: "2026-01-02T00:00:00.000Z", status: "PAUSED", type: "DAILY_METRICS", adAccountId: account },
      { createdAt: "2026-01-03T00:00:00.000Z", status: "ACTIVE", type: "DAILY_METRICS", adAccountId: account },
      { createdAt: "2026-01-03T00:00:00.000Z", status: "ERROR", type: "CUSTOM" },
      { createdAt: "2026-01-04T00:00:00.000Z", status: "ACTIVE", type: "CUSTOM" },
    ] as const;
    for (const spec of specs) ids.push(await insertWorkflow(t.clientId, t.admin.id, spec));
    await insertWorkflow(other.clientId, other.admin.id);
  });

  const newestFirst = () => {
    const [a, b, c, d, e] = ids;
    return [e, ...[c, d].sort().reverse(), b, a];
  };

  it("lists the tenant's workflows newest first, the id breaking ties, and nothing of other tenants", async () => {
    const res = await api.v1.workflows.$get({ query: {} }, { headers: bearer(t.viewer.token) });
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    const body = await res.json();
    expect(body.data.map((w) => w.id)).toEqual(newestFirst());
    expect(body.nextCursor).toBeNull();
    expect(body.data.every((w) => w.clientId === t.clientId)).toBe(true);
  });

  it("pages with a keyset cursor without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await send("GET", `/v1/workflows?limit=2${cursor ? `&cursor=${cursor}` : ""}`, t.viewer.token);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((w: { id: string }) => w.id));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toEqual(newestFirst());
  });

  it("filters by status, type and ad account, combined", async () => {
    const [, b, c, , e] = ids;
    const ofQuery = async (q: string) => (await send("GET", `/v1/workflows?${q}`, t.user.token)).body.data.map((w: { id: string }) => w.id);
    expect(await ofQuery("status=ACTIVE")).toEqual([e, c, ids[0]]);
    expect(await ofQuery("type=DAILY_METRICS")).toEqual([c, b]);
    expect(await ofQuery(`adAccountId=${account}`)).toEqual([c, b]);
    expect(await ofQuery(`adAccountId=${account}&status=PAUSED`)).toEqual([b]);
    expect(await ofQuery("status=INACTIVE")).toEqual([]);
  });

  it.each(["limit=0", "limit=101", "limit=abc", "status=active", "type=REPORT", "cursor=%21%21"])("refuses ?%s with 400", async (q) => {
    const res = await send("GET", `/v1/workflows?${q}`, t.viewer.token);
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
  });
});

describe("GET /v1/workflows/{id}", () => {
  it("answers 404 for another tenant's workflow and for a missing id alike", async () => {
    const foreign = await insertWorkflow(other.clientId, other.admin.id);
    const a = await send("GET", `/v1/workflows/${foreign}`, acme.admin.token);
    const b = await send("GET", `/v1/workflows/${newId()}`, acme.admin.token);
    expect([a.status, b.status]).toEqual([404, 404]);
    expect(a.body.error.message).toBe(b.body.error.message);
  });
});

describe("PATCH /v1/workflows/{id}", () => {
  it("changes only the given fields and moves updatedAt", async () => {
    const id = await insertWorkflow(acme.clientId, acme.admin.id, {
      createdAt: "2026-01-01T00:00:00.000Z",
      n8nWorkflowId: `keep-${newId()}`,
    });
    await ownerSql.query(`update workflows set "updatedAt" = '2026-01-01T00:00:00.000Z' where id = $1`, [id]);
    const before = (await send("GET", `/v1/workflows/${id}`, acme.viewer.token)).body.data;
    const res = await api.v1.workflows[":id"].$patch(
      { param: { id }, json: { status: "ACTIVE", schedule: "30 8 * * 1-5", timezone: "UTC", config: { a: 1 }, adAccountId: acmeAccount } },
      { headers: bearer(acme.user.token) },
    );
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    const { data } = await res.json();
    expect(data).toEqual({
      ...before,
      status: "ACTIVE",
      schedule: "30 8 * * 1-5",
      timezone: "UTC",
      config: { a: 1 },
      adAccountId: acmeAccount,
      updatedAt: data.updatedAt,
    });
    expect(before.updatedAt).toBe("2026-01-01T00:00:00.000Z");
    expect(Math.abs(Date.parse(data.updatedAt) - Date.now())).toBeLessThan(60_000);
  });

  it("clears nullable fields with null, including detaching the ad account", async () => {
    const id = await insertWorkflow(acme.clientId, acme.admin.id, { adAccountId: acmeAccount, n8nWorkflowId: `n-${newId()}` });
    const res = await send("PATCH", `/v1/workflows/${id}`, acme.user.token, {
      adAccountId: null,
      n8nWorkflowId: null,
      description: null,
      schedule: null,
      n8nWebhookUrl: null,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ adAccountId: null, n8nWorkflowId: null, description: null, schedule: null, n8nWebhookUrl: null });
  });

  it.each([
    ["another tenant's", () => otherAccount],
    ["a missing", () => "cm_no_such_account"],
  ])("refuses %s ad account with 400 on adAccountId and changes nothing", async (_, account) => {
    const id = await insertWorkflow(acme.clientId, acme.admin.id, { name: "unchanged" });
    const res = await send("PATCH", `/v1/workflows/${id}`, acme.user.token, { name: "changed", adAccountId: account() });
    expect(res.status).toBe(400);
    expect(detailPaths(res.body)).toEqual(["adAccountId"]);
    const [row] = await ownerSql.query(`select name, "adAccountId" from workflows where id = $1`, [id]);
    expect(row).toEqual({ name: "unchanged", adAccountId: null });
  });

  it("answers 409 for an n8nWorkflowId of another workflow of the tenant, but accepts the workflow's own", async () => {
    const n8nId = `taken-${newId()}`;
    await insertWorkflow(acme.clientId, acme.admin.id, { n8nWorkflowId: n8nId });
    const mine = `mine-${newId()}`;
    const id = await insertWorkflow(acme.clientId, acme.admin.id, { n8nWorkflowId: mine });
    const taken = await send("PATCH", `/v1/workflows/${id}`, acme.user.token, { n8nWorkflowId: n8nId });
    expect(taken.status).toBe(409);
    expectEnvelope(taken.body, "conflict");
    expect(detailPaths(taken.body)).toEqual(["n8nWorkflowId"]);
    const same = await send("PATCH", `/v1/workflows/${id}`, acme.user.token, { n8nWorkflowId: mine, name: "renamed" });
    expect(same.status).toBe(200);
    // Used in another tenant only: free here.
    const elsewhere = `else-${newId()}`;
    await insertWorkflow(other.clientId, other.admin.id, { n8nWorkflowId: elsewhere });
    const free = await send("PATCH", `/v1/workflows/${id}`, acme.user.token, { n8nWorkflowId: elsewhere });
    expect(free.status).toBe(200);
  });

  it("validates like creation: cron, time zone, URL, unknown fields, an empty body", async () => {
    const id = await insertWorkflow(acme.clientId, acme.admin.id);
    const bad = await send("PATCH", `/v1/workflows/${id}`, acme.user.token, {
      schedule: "0 0 0 * * *",
      timezone: "Nowhere/City",
      n8nWebhookUrl: "file:///etc/passwd",
    });
    expect(bad.status).toBe(400);
    expect(detailPaths(bad.body).sort()).toEqual(["n8nWebhookUrl", "schedule", "timezone"]);
    for (const body of [
      { clientId: other.clientId },
      { createdBy: other.admin.id },
      {},
      { name: "" },
      { timezone: null },
      { config: null },
    ]) {
      const res = await send("PATCH", `/v1/workflows/${id}`, acme.user.token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("answers 404 for another tenant's workflow and leaves it alone", async () => {
    const foreign = await insertWorkflow(other.clientId, other.admin.id, { name: "theirs" });
    const res = await send("PATCH", `/v1/workflows/${foreign}`, acme.admin.token, { name: "mine now" });
    expect(res.status).toBe(404);
    const [row] = await ownerSql.query(`select name from workflows where id = $1`, [foreign]);
    expect(row!.name).toBe("theirs");
  });
});

describe("DELETE /v1/workflows/{id}", () => {
  it("deletes the workflow with its executions, keeps its reports with workflowId null, and returns it", async () => {
    const id = await insertWorkflow(acme.clientId, acme.admin.id, { name: "doomed" });
    const execution = await insertExecution(acme.clientId, id, { status: "SUCCESS", startedAt: new Date() });
    const report = newId();
    await ownerSql.query(
      `insert into reports (id, title, "periodStart", "periodEnd", content, recipients, "clientId", "userId", "workflowId", "updatedAt")
       values ($1, 'r', '2026-01-01', '2026-01-08', 'c', '[]'::jsonb, $2, $3, $4, now())`,
      [report, acme.clientId, acme.admin.id, id],
    );
    const res = await api.v1.workflows[":id"].$delete({ param: { id } }, { headers: bearer(acme.admin.token) });
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    expect((await res.json()).data).toMatchObject({ id, name: "doomed", clientId: acme.clientId });

    expect(await ownerSql.query(`select 1 from workflows where id = $1`, [id])).toEqual([]);
    expect(await ownerSql.query(`select 1 from execution_logs where id = $1`, [execution])).toEqual([]);
    expect(await ownerSql.query(`select "workflowId" from reports where id = $1`, [report])).toEqual([{ workflowId: null }]);
    expect((await send("DELETE", `/v1/workflows/${id}`, acme.admin.token)).status).toBe(404);
  });

  it("is refused to a USER", async () => {
    const id = await insertWorkflow(acme.clientId, acme.admin.id);
    expect((await send("DELETE", `/v1/workflows/${id}`, acme.user.token)).status).toBe(403);
  });
});

describe("an API key with workflows:read", () => {
  it("can list, read and get stats, but not create, change or delete", async () => {
    const key = (await createApiKey(acme.clientId, ["workflows:read"])).key;
    const id = await insertWorkflow(acme.clientId, acme.admin.id);
    expect((await send("GET", "/v1/workflows", key)).status).toBe(200);
    const read = await send("GET", `/v1/workflows/${id}`, key);
    expect(read.status).toBe(200);
    expect(read.body.data.id).toBe(id);
    expect((await send("GET", `/v1/workflows/${id}/stats`, key)).status).toBe(200);
    expect((await send("POST", "/v1/workflows", key, { name: "x", type: "CUSTOM" })).status).toBe(403);
    expect((await send("PATCH", `/v1/workflows/${id}`, key, { name: "x" })).status).toBe(403);
    expect((await send("DELETE", `/v1/workflows/${id}`, key)).status).toBe(403);
  });

  it("sees only its own client's workflows", async () => {
    const key = (await createApiKey(acme.clientId, ["workflows:read"])).key;
    const foreign = await insertWorkflow(other.clientId, other.admin.id);
    expect((await send("GET", `/v1/workflows/${foreign}`, key)).status).toBe(404);
    const listed = await send("GET", "/v1/workflows?limit=100", key);
    expect(listed.body.data.every((w: { clientId: string }) => w.clientId === acme.clientId)).toBe(true);
  });
});
