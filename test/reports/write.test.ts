import { beforeAll, describe, expect, it } from "vitest";
import { call, expectEnvelope } from "../support/api.js";
import { createAdAccount, createExecution, createReport, createWorkflow } from "../support/activity-fixtures.js";
import { api } from "../support/client.js";
import { bearer, createApiKey, createTenant, ownerSql, type TestTenant } from "../support/fixtures.js";

let acme: TestTenant;
let other: TestTenant;
let workflow: string;

const valid = {
  title: "Weekly performance",
  type: "WEEKLY_STORYTELLING",
  periodStart: "2026-11-16T00:00:00Z",
  periodEnd: "2026-11-23T00:00:00Z",
  content: "# Weekly performance",
  recipients: ["marketing@acme.test"],
} as const;

const send = (method: string, path: string, credential: string, body?: unknown) =>
  call(path, {
    method,
    headers: { ...bearer(credential), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
const post = (credential: string, body: unknown) => send("POST", "/v1/reports", credential, body);
const detailPaths = (body: any): string[] => body.error.details.map((d: { path: string }) => d.path);

beforeAll(async () => {
  [acme, other] = await Promise.all([createTenant(), createTenant()]);
  // Created by acme's USER: an API key's report on this workflow belongs to that user.
  workflow = await createWorkflow(acme.clientId, acme.user.id);
});

describe("POST /v1/reports", () => {
  it("creates a GENERATED report owned by the calling person, stamped in UTC", async () => {
    const before = Date.now();
    const res = await api.v1.reports.$post(
      {
        json: {
          ...valid,
          recipients: [...valid.recipients],
          htmlContent: "<h1>Weekly</h1>",
          summary: { spend: 12.5 },
          workflowId: workflow,
        },
      },
      { headers: bearer(acme.user.token) },
    );
    expect(res.status).toBe(201);
    if (res.status !== 201) return;
    const { data } = await res.json();
    expect(data).toMatchObject({
      title: valid.title,
      type: "WEEKLY_STORYTELLING",
      status: "GENERATED",
      periodStart: "2026-11-16T00:00:00.000Z",
      periodEnd: "2026-11-23T00:00:00.000Z",
      content: valid.content,
      htmlContent: "<h1>Weekly</h1>",
      summary: { spend: 12.5 },
      recipients: ["marketing@acme.test"],
      sentAt: null,
      deliveryStatus: null,
      clientId: acme.clientId,
      userId: acme.user.id,
      workflowId: workflow,
      adAccountId: null,
      executionLogId: null,
    });
    // A true UTC instant: within a minute of the test's clock, whatever the database's time zone.
    expect(Math.abs(Date.parse(data.createdAt) - before)).toBeLessThan(60_000);
    const [row] = await ownerSql.query(`select recipients, summary from reports where id = $1`, [data.id]);
    expect(row).toEqual({ recipients: ["marketing@acme.test"], summary: { spend: 12.5 } });
  });

  it("accepts DRAFT, and links an ad account and an execution of the tenant", async () => {
    const adAccountId = await createAdAccount(acme.clientId);
    const executionLogId = await createExecution(acme.clientId, workflow);
    const res = await post(acme.user.token, { ...valid, status: "DRAFT", adAccountId, executionLogId });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: "DRAFT", adAccountId, executionLogId });
  });

  it("gives a report made by an API key to its workflow's creator", async () => {
    const key = await createApiKey(acme.clientId, ["reports:write"], { createdBy: acme.admin.id });
    const res = await post(key.key, { ...valid, workflowId: workflow });
    expect(res.status).toBe(201);
    expect(res.body.data.userId).toBe(acme.user.id);
  });

  it("gives a report made by an API key without a workflow to the key's creator", async () => {
    const key = await createApiKey(acme.clientId, ["reports:write"], { createdBy: acme.admin.id });
    const res = await post(key.key, valid);
    expect(res.status).toBe(201);
    expect(res.body.data.userId).toBe(acme.admin.id);
  });

  it("refuses a report by an API key with no creator and no workflow, asking for a workflowId", async () => {
    const key = await createApiKey(acme.clientId, ["reports:write"]);
    const res = await post(key.key, valid);
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
    expect(detailPaths(res.body)).toEqual(["workflowId"]);
    expect(res.body.error.message).toMatch(/workflowId/);
  });

  it("refuses another tenant's or a missing workflow, ad account and execution, naming each field, and writes nothing", async () => {
    const foreignWorkflow = await createWorkflow(other.clientId, other.admin.id);
    const foreignExecution = await createExecution(other.clientId, foreignWorkflow);
    const res = await post(acme.user.token, {
      ...valid,
      title: "must not exist",
      workflowId: foreignWorkflow,
      adAccountId: "cm_missing_account",
      executionLogId: foreignExecution,
    });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
    expect(detailPaths(res.body)).toEqual(["workflowId", "adAccountId", "executionLogId"]);
    const rows = await ownerSql.query(`select 1 from reports where title = 'must not exist'`);
    expect(rows).toHaveLength(0);
  });

  it("refuses a foreign workflow even for an API key whose owner would come from it", async () => {
    const key = await createApiKey(acme.clientId, ["reports:write"]);
    const res = await post(key.key, { ...valid, workflowId: await createWorkflow(other.clientId, other.admin.id) });
    expect(res.status).toBe(400);
    expect(detailPaths(res.body)).toEqual(["workflowId"]);
  });

  it("answers 409 when the execution already has a report", async () => {
    const executionLogId = await createExecution(acme.clientId, workflow);
    expect((await post(acme.user.token, { ...valid, executionLogId })).status).toBe(201);
    const again = await post(acme.user.token, { ...valid, executionLogId });
    expect(again.status).toBe(409);
    expectEnvelope(again.body, "conflict");
    expect(detailPaths(again.body)).toEqual(["executionLogId"]);
  });

  it.each([
    ["an empty period", { periodEnd: valid.periodStart }, "periodEnd"],
    ["a period that ends before it starts", { periodStart: "2026-11-24T00:00:00Z" }, "periodEnd"],
    ["a date that is not ISO-8601", { periodStart: "16/11/2026" }, "periodStart"],
    ["no recipients", { recipients: [] }, "recipients"],
    ["more than 100 recipients", { recipients: Array.from({ length: 101 }, (_, i) => `r${i}@acme.test`) }, "recipients"],
    ["a recipient that is not an email", { recipients: ["marketing@acme.test", "not-an-email"] }, "recipients.1"],
    ["status SENT", { status: "SENT" }, "status"],
    ["status FAILED", { status: "FAILED" }, "status"],
    ["a lowercase type", { type: "custom" }, "type"],
    ["an empty title", { title: " " }, "title"],
    ["a field it does not know", { userId: "someone" }, "(root)"],
  ])("answers 400 to %s", async (_, change, field) => {
    const res = await post(acme.user.token, { ...valid, ...change });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
    expect(detailPaths(res.body)).toContain(field);
  });

  it("answers 400 when a required field is missing", async () => {
    const { content: _, ...withoutContent } = valid;
    const res = await post(acme.user.token, withoutContent);
    expect(res.status).toBe(400);
    expect(detailPaths(res.body)).toContain("content");
  });
});

describe("GET /v1/reports/{id}", () => {
  it("returns the whole report, content and delivery included", async () => {
    const id = await createReport(acme.clientId, acme.user.id, { status: "SENT" });
    await ownerSql.query(
      `update reports set "htmlContent" = '<p>x</p>', "sentAt" = '2026-11-23 07:00:00', "deliveryStatus" = '{"messageId":"m1"}' where id = $1`,
      [id],
    );
    const res = await api.v1.reports[":id"].$get({ param: { id } }, { headers: bearer(acme.viewer.token) });
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    expect((await res.json()).data).toMatchObject({
      id,
      status: "SENT",
      content: "# Report",
      htmlContent: "<p>x</p>",
      sentAt: "2026-11-23T07:00:00.000Z",
      deliveryStatus: { messageId: "m1" },
      recipients: ["team@tenant.test"],
    });
  });

  it("answers another tenant's report exactly like a missing one", async () => {
    const foreign = await createReport(other.clientId, other.user.id);
    const a = await send("GET", `/v1/reports/${foreign}`, acme.admin.token);
    const b = await send("GET", "/v1/reports/cm_missing", acme.admin.token);
    expect(a.status).toBe(404);
    expectEnvelope(a.body, "not_found");
    expect({ ...a.body.error, requestId: null }).toEqual({ ...b.body.error, requestId: null });
  });
});

describe("PATCH /v1/reports/{id}", () => {
  const patch = (credential: string, id: string, body: unknown) => send("PATCH", `/v1/reports/${id}`, credential, body);

  it("changes the title, recipients, content and status, and clears the HTML", async () => {
    const id = await createReport(acme.clientId, acme.user.id);
    const res = await patch(acme.user.token, id, {
      title: "Renamed",
      recipients: ["a@acme.test", "b@acme.test"],
      content: "# New",
      htmlContent: null,
      status: "DRAFT",
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id,
      title: "Renamed",
      recipients: ["a@acme.test", "b@acme.test"],
      content: "# New",
      htmlContent: null,
      status: "DRAFT",
    });
    expect(Date.parse(res.body.data.updatedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("lets an API key with reports:write edit", async () => {
    const id = await createReport(acme.clientId, acme.user.id);
    const key = await createApiKey(acme.clientId, ["reports:write"]);
    const res = await patch(key.key, id, { status: "GENERATED", summary: { clicks: 3 } });
    expect(res.status).toBe(200);
    expect(res.body.data.summary).toEqual({ clicks: 3 });
  });

  it.each(["SENT", "FAILED"])("refuses status %s: delivery records it", async (status) => {
    const id = await createReport(acme.clientId, acme.user.id);
    const res = await patch(acme.user.token, id, { status });
    expect(res.status).toBe(400);
    expect(detailPaths(res.body)).toEqual(["status"]);
  });

  it("keeps the period in order against the stored dates when only one end changes", async () => {
    // Stored: 2026-11-16 to 2026-11-23.
    const id = await createReport(acme.clientId, acme.user.id);
    const late = await patch(acme.user.token, id, { periodStart: "2026-11-23T00:00:00Z" });
    expect(late.status).toBe(400);
    expect(detailPaths(late.body)).toEqual(["periodStart"]);
    const early = await patch(acme.user.token, id, { periodEnd: "2026-11-10T00:00:00Z" });
    expect(early.status).toBe(400);
    expect(detailPaths(early.body)).toEqual(["periodEnd"]);
    const moved = await patch(acme.user.token, id, { periodStart: "2026-11-20T00:00:00Z" });
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ periodStart: "2026-11-20T00:00:00.000Z", periodEnd: "2026-11-23T00:00:00.000Z" });
  });

  it("refuses a new period in the wrong order, an empty change and unknown fields", async () => {
    const id = await createReport(acme.clientId, acme.user.id);
    const swapped = await patch(acme.user.token, id, { periodStart: "2026-12-08T00:00:00Z", periodEnd: "2026-12-01T00:00:00Z" });
    expect(swapped.status).toBe(400);
    expect(detailPaths(swapped.body)).toEqual(["periodEnd"]);
    expect((await patch(acme.user.token, id, {})).status).toBe(400);
    expect((await patch(acme.user.token, id, { type: "CUSTOM" })).status).toBe(400);
    expect((await patch(acme.user.token, id, { recipients: ["nope"] })).status).toBe(400);
  });

  it("answers 404 for another tenant's report and leaves it unchanged", async () => {
    const foreign = await createReport(other.clientId, other.user.id, { title: "theirs" });
    const res = await patch(acme.admin.token, foreign, { title: "mine now" });
    expect(res.status).toBe(404);
    const [row] = await ownerSql.query(`select title from reports where id = $1`, [foreign]);
    expect(row!.title).toBe("theirs");
  });
});

describe("DELETE /v1/reports/{id}", () => {
  it("lets an ADMIN delete a report, answering with it", async () => {
    const id = await createReport(acme.clientId, acme.user.id, { title: "to delete" });
    const res = await send("DELETE", `/v1/reports/${id}`, acme.admin.token);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id, title: "to delete", content: "# Report" });
    expect((await send("GET", `/v1/reports/${id}`, acme.admin.token)).status).toBe(404);
  });

  it("refuses a USER and an API key, even one with reports:write", async () => {
    const id = await createReport(acme.clientId, acme.user.id);
    expect((await send("DELETE", `/v1/reports/${id}`, acme.user.token)).status).toBe(403);
    const key = await createApiKey(acme.clientId, ["reports:write", "reports:read"]);
    expect((await send("DELETE", `/v1/reports/${id}`, key.key)).status).toBe(403);
    expect(await ownerSql.query(`select 1 from reports where id = $1`, [id])).toHaveLength(1);
  });

  it("answers 404 for another tenant's report and keeps it", async () => {
    const foreign = await createReport(other.clientId, other.user.id);
    expect((await send("DELETE", `/v1/reports/${foreign}`, acme.admin.token)).status).toBe(404);
    expect(await ownerSql.query(`select 1 from reports where id = $1`, [foreign])).toHaveLength(1);
  });
});
