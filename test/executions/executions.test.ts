import { beforeAll, describe, expect, it } from "vitest";
import { call, expectEnvelope } from "../support/api.js";
import { createAdAccount, createExecution, createExecutions, createWorkflow, type ExecutionFixture } from "../support/activity-fixtures.js";
import { api } from "../support/client.js";
import { bearer, createTenant, type TestTenant } from "../support/fixtures.js";

const T0 = Date.parse("2026-10-01T00:00:00.000Z");
const minute = (n: number) => new Date(T0 + n * 60_000);
const STATUSES = ["SUCCESS", "FAILED", "RUNNING"] as const;

interface Arranged {
  id: string;
  startedAt: Date;
  workflowId: string;
  status: (typeof STATUSES)[number];
  adAccountId: string | null;
}

let acme: TestTenant;
let other: TestTenant;
let workflowA: string;
let workflowB: string;
let adAccount: string;
let arranged: Arranged[];

/** The order the API promises: startedAt descending, the id breaking ties (descending too). */
const newestFirst = (rows: Arranged[]) =>
  [...rows].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((r) => r.id);

async function listAll(token: string, query: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const res = await api.v1.executions.$get({ query: { ...query, ...(cursor ? { cursor } : {}) } }, { headers: bearer(token) });
    expect(res.status).toBe(200);
    if (res.status !== 200) throw new Error("list failed");
    const body = await res.json();
    ids.push(...body.data.map((e) => e.id));
    if (!body.nextCursor) return ids;
    cursor = body.nextCursor;
  }
  throw new Error("paging did not end");
}

beforeAll(async () => {
  [acme, other] = await Promise.all([createTenant(), createTenant()]);
  [workflowA, workflowB, adAccount] = await Promise.all([
    createWorkflow(acme.clientId, acme.user.id),
    createWorkflow(acme.clientId, acme.admin.id),
    createAdAccount(acme.clientId),
  ]);
  // 36 executions, four per minute (ties on startedAt), spread over two workflows, three statuses and one ad account.
  const fixtures = Array.from({ length: 36 }, (_, i) => ({
    startedAt: minute(Math.floor(i / 4)),
    workflowId: i % 2 === 0 ? workflowA : workflowB,
    status: STATUSES[i % 3]!,
    adAccountId: i % 4 === 0 ? adAccount : null,
  }));
  const byWorkflow = async (workflowId: string) => {
    const mine = fixtures.filter((f) => f.workflowId === workflowId);
    const ids = await createExecutions(acme.clientId, workflowId, mine satisfies ExecutionFixture[]);
    return mine.map((f, i) => ({ ...f, id: ids[i]! }));
  };
  arranged = [...(await byWorkflow(workflowA)), ...(await byWorkflow(workflowB))];
  // Noise in another tenant, at the same instants.
  const foreignWorkflow = await createWorkflow(other.clientId, other.admin.id);
  await createExecutions(other.clientId, foreignWorkflow, [{ startedAt: minute(0) }, { startedAt: minute(5) }]);
});

describe("GET /v1/executions", () => {
  it("lists the tenant's executions newest first, the id breaking ties, across pages without gaps or repeats", async () => {
    const ids = await listAll(acme.viewer.token, { limit: "5" });
    expect(ids).toEqual(newestFirst(arranged));
    expect(new Set(ids).size).toBe(36);
  });

  it("defaults to 25 a page and leaves out the heavy JSON columns", async () => {
    const res = await call("/v1/executions", { headers: bearer(acme.viewer.token) });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(25);
    expect(res.body.nextCursor).toEqual(expect.any(String));
    const item = res.body.data[0];
    expect(Object.keys(item).sort()).toEqual(
      [
        "apiCallsUsed",
        "adAccountId",
        "clientId",
        "completedAt",
        "dataProcessed",
        "duration",
        "executedBy",
        "id",
        "n8nExecutionId",
        "startedAt",
        "status",
        "workflowId",
      ].sort(),
    );
    expect(item.clientId).toBe(acme.clientId);
  });

  it("keeps the cursor stable when executions arrive between pages", async () => {
    const t = await createTenant();
    const workflow = await createWorkflow(t.clientId, t.admin.id);
    const ids = await createExecutions(
      t.clientId,
      workflow,
      Array.from({ length: 12 }, (_, i) => ({ startedAt: minute(Math.floor(i / 3)) })),
    );
    const before = newestFirst(
      ids.map((id, i) => ({ id, startedAt: minute(Math.floor(i / 3)), workflowId: workflow, status: "SUCCESS", adAccountId: null })),
    );

    const first = await call("/v1/executions?limit=5", { headers: bearer(t.viewer.token) });
    // Newer than everything, and one at the page boundary's very instant (its later id sorts it before the boundary).
    await createExecutions(t.clientId, workflow, [{ startedAt: minute(50) }, { startedAt: new Date(first.body.data[4].startedAt) }]);
    const rest = await call(`/v1/executions?limit=100&cursor=${first.body.nextCursor}`, { headers: bearer(t.viewer.token) });

    expect([...first.body.data, ...rest.body.data].map((e: { id: string }) => e.id)).toEqual(before);
  });

  it("filters by workflow, status and ad account, alone and together", async () => {
    const token = acme.viewer.token;
    expect(await listAll(token, { workflowId: workflowA, limit: "7" })).toEqual(
      newestFirst(arranged.filter((r) => r.workflowId === workflowA)),
    );
    expect(await listAll(token, { status: "FAILED", limit: "7" })).toEqual(newestFirst(arranged.filter((r) => r.status === "FAILED")));
    expect(await listAll(token, { adAccountId: adAccount, limit: "4" })).toEqual(
      newestFirst(arranged.filter((r) => r.adAccountId === adAccount)),
    );
    expect(await listAll(token, { workflowId: workflowB, status: "SUCCESS", limit: "3" })).toEqual(
      newestFirst(arranged.filter((r) => r.workflowId === workflowB && r.status === "SUCCESS")),
    );
  });

  it("treats since as inclusive and until as exclusive on startedAt", async () => {
    const since = minute(2).toISOString();
    const until = minute(5).toISOString();
    const ids = await listAll(acme.viewer.token, { since, until, limit: "5" });
    const expected = arranged.filter((r) => r.startedAt >= minute(2) && r.startedAt < minute(5));
    expect(expected).toHaveLength(12);
    expect(ids).toEqual(newestFirst(expected));
  });

  it("accepts instants with an offset", async () => {
    // 02:01+02:00 is minute 1 in UTC, and until is exclusive: only minute 0 remains.
    const ids = await listAll(acme.viewer.token, { until: "2026-10-01T02:01:00+02:00" });
    expect(ids).toEqual(newestFirst(arranged.filter((r) => r.startedAt < minute(1))));
  });

  it("returns an empty page for a workflow or ad account of another tenant", async () => {
    const foreignWorkflow = await createWorkflow(other.clientId, other.admin.id);
    await createExecution(other.clientId, foreignWorkflow);
    const res = await call(`/v1/executions?workflowId=${foreignWorkflow}`, { headers: bearer(acme.viewer.token) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], nextCursor: null });
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
    ["limit=2.5", "limit"],
    ["cursor=not-a-cursor", "cursor"],
    ["since=yesterday", "since"],
    ["until=2026-13-01T00:00:00Z", "until"],
    ["since=2026-10-02T00:00:00Z&until=2026-10-01T00:00:00Z", "until"],
    ["status=success", "status"],
  ])("answers 400 naming the parameter for %s", async (query, field) => {
    const res = await call(`/v1/executions?${query}`, { headers: bearer(acme.viewer.token) });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });
});

describe("GET /v1/executions/{id}", () => {
  it("returns the execution with its input, output, error and logs as stored", async () => {
    const id = await createExecution(acme.clientId, workflowA, {
      status: "FAILED",
      n8nExecutionId: `n8n-${Date.now()}`,
      adAccountId: adAccount,
      startedAt: minute(-10),
      input: { dateRange: { since: "2026-09-01" } },
      output: [1, 2, 3],
      error: { message: "Meta said no", code: 17 },
      logs: ["started", "failed"],
    });
    const res = await api.v1.executions[":id"].$get({ param: { id } }, { headers: bearer(acme.viewer.token) });
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    const { data } = await res.json();
    expect(data).toMatchObject({
      id,
      status: "FAILED",
      n8nExecutionId: expect.stringMatching(/^n8n-/),
      startedAt: minute(-10).toISOString(),
      workflowId: workflowA,
      adAccountId: adAccount,
      clientId: acme.clientId,
      apiCallsUsed: 3,
      duration: 1000,
      input: { dateRange: { since: "2026-09-01" } },
      output: [1, 2, 3],
      error: { message: "Meta said no", code: 17 },
      logs: ["started", "failed"],
    });
  });

  it("answers another tenant's execution exactly like a missing one", async () => {
    const foreign = await createExecution(other.clientId, await createWorkflow(other.clientId, other.admin.id));
    const a = await call(`/v1/executions/${foreign}`, { headers: bearer(acme.admin.token) });
    const b = await call(`/v1/executions/cm_missing`, { headers: bearer(acme.admin.token) });
    expect(a.status).toBe(404);
    expectEnvelope(a.body, "not_found");
    expect({ ...a.body.error, requestId: null }).toEqual({ ...b.body.error, requestId: null });
  });
});
