import { request } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { apiUrl, expectEnvelope } from "../support/api.js";
import { api } from "../support/client.js";
import { bearer, createApiKey, createTenant, ownerSql, type TestTenant } from "../support/fixtures.js";
import { createAdAccount, createN8nWorkflow, executionRows, n8nExecutionId, postJson, type N8nWorkflow } from "../support/n8n-fixtures.js";

const PATH = "/v1/webhooks/n8n/executions";

let acme: TestTenant;
let other: TestTenant;
let key: string;
let wf: N8nWorkflow;

beforeAll(async () => {
  [acme, other] = await Promise.all([createTenant(), createTenant()]);
  key = (await createApiKey(acme.clientId, ["executions:write"], { createdBy: acme.admin.id })).key;
  wf = await createN8nWorkflow(acme.clientId, acme.user.id);
});

const report = {
  title: "Weekly performance",
  type: "WEEKLY_STORYTELLING" as const,
  periodStart: "2026-11-19T00:00:00.000Z",
  periodEnd: "2026-11-26T00:00:00.000Z",
  content: "# Week in review",
  recipients: ["marketing@acme.test"],
};

describe("POST /v1/webhooks/n8n/executions: first sight and repeats", () => {
  it("records a new execution (201) found by n8nWorkflowId, mapping n8n's status", async () => {
    const executionId = n8nExecutionId();
    const res = await api.v1.webhooks.n8n.executions.$post(
      {
        json: {
          executionId,
          n8nWorkflowId: wf.n8nWorkflowId,
          status: "running",
          startedAt: "2026-11-26T06:00:00.000Z",
          input: { since: "2026-11-19" },
        },
      },
      { headers: bearer(key) },
    );
    expect(res.status).toBe(201);
    const body = await res.json();
    if (!("data" in body)) throw new Error("expected data");
    expect(body.data).toMatchObject({
      n8nExecutionId: executionId,
      status: "RUNNING",
      workflowId: wf.id,
      clientId: acme.clientId,
      startedAt: "2026-11-26T06:00:00.000Z",
      completedAt: null,
      duration: null,
      input: { since: "2026-11-19" },
      reportId: null,
    });
  });

  it("answers a repeat with 200 and the stored execution, leaving one row", async () => {
    const executionId = n8nExecutionId();
    const body = {
      executionId,
      workflowId: wf.id,
      status: "success",
      startedAt: "2026-11-26T06:00:00.000Z",
      stoppedAt: "2026-11-26T06:00:42.512Z",
    };
    const first = await postJson(PATH, key, body);
    const again = await postJson(PATH, key, body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    expect(again.body.data).toMatchObject({ status: "SUCCESS", duration: 42512, completedAt: "2026-11-26T06:00:42.512Z" });
    expect(await executionRows(acme.clientId, executionId)).toHaveLength(1);
  });

  it("maps every n8n and API status", async () => {
    const expected = {
      new: "RUNNING",
      running: "RUNNING",
      waiting: "RUNNING",
      unknown: "RUNNING",
      success: "SUCCESS",
      error: "FAILED",
      crashed: "FAILED",
      canceled: "CANCELLED",
      RUNNING: "RUNNING",
      SUCCESS: "SUCCESS",
      FAILED: "FAILED",
      CANCELLED: "CANCELLED",
      TIMEOUT: "TIMEOUT",
    };
    for (const [status, stored] of Object.entries(expected)) {
      const res = await postJson(PATH, key, { executionId: n8nExecutionId(), n8nWorkflowId: wf.n8nWorkflowId, status });
      expect(res.status, status).toBe(201);
      expect(res.body.data.status, status).toBe(stored);
    }
  });

  it("keeps JSON payloads exactly as sent, SQL- and HTML-looking strings included", async () => {
    const executionId = n8nExecutionId();
    const output = {
      note: "'; drop table execution_logs; --",
      html: "<script>alert(1)</script>",
      nested: [1, null, { a: "ü€😀" }],
      empty: {},
    };
    const logs = ["line 1", { level: "warn", msg: "$1 $$ \\x00" }];
    const error = "plain string error";
    const res = await postJson(PATH, key, {
      executionId,
      n8nWorkflowId: wf.n8nWorkflowId,
      status: "error",
      output,
      logs,
      error,
      input: [1, 2, 3],
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ output, logs, error, input: [1, 2, 3] });
    const [row] = await executionRows(acme.clientId, executionId);
    expect(row!.output).toEqual(output);
  });

  it("accepts an unknown field and a free-text mode without refusing the report", async () => {
    const res = await postJson(PATH, key, {
      executionId: n8nExecutionId(),
      n8nWorkflowId: wf.n8nWorkflowId,
      status: "running",
      mode: "production",
      retryOf: "12",
      executionContext: { version: 1 },
    });
    expect(res.status).toBe(201);
  });

  it("advances the workflow's lastExecutedAt, never backwards", async () => {
    const w = await createN8nWorkflow(acme.clientId, acme.admin.id);
    await postJson(PATH, key, {
      executionId: n8nExecutionId(),
      workflowId: w.id,
      status: "running",
      startedAt: "2026-11-26T08:00:00.000Z",
    });
    await postJson(PATH, key, {
      executionId: n8nExecutionId(),
      workflowId: w.id,
      status: "running",
      startedAt: "2026-11-25T08:00:00.000Z",
    });
    const [row] = await ownerSql.query(
      `select "lastExecutedAt" = '2026-11-26 08:00:00'::timestamp as latest from workflows where id = $1`,
      [w.id],
    );
    expect(row!.latest).toBe(true);
  });

  it("links an execution to an ad account named by metaAdAccountId, and refuses another tenant's account with 400", async () => {
    const mine = await createAdAccount(acme.clientId);
    const theirs = await createAdAccount(other.clientId);
    const ok = await postJson(PATH, key, {
      executionId: n8nExecutionId(),
      n8nWorkflowId: wf.n8nWorkflowId,
      status: "running",
      metaAdAccountId: mine.metaAdAccountId,
    });
    expect(ok.status).toBe(201);
    expect(ok.body.data.adAccountId).toBe(mine.id);

    const executionId = n8nExecutionId();
    const refused = await postJson(PATH, key, { executionId, n8nWorkflowId: wf.n8nWorkflowId, status: "running", adAccountId: theirs.id });
    expect(refused.status).toBe(400);
    expectEnvelope(refused.body, "invalid_request");
    expect(refused.body.error.details[0].path).toBe("adAccountId");
    expect(await executionRows(acme.clientId, executionId)).toHaveLength(0);
  });
});

describe("POST /v1/webhooks/n8n/executions: forward-only status", () => {
  const post = (executionId: string, extra: Record<string, unknown>) =>
    postJson(PATH, key, { executionId, n8nWorkflowId: wf.n8nWorkflowId, ...extra });

  it("moves RUNNING to SUCCESS, and a late `running` never overwrites it", async () => {
    const id = n8nExecutionId();
    expect((await post(id, { status: "running", startedAt: "2026-11-26T06:00:00.000Z", logs: ["started"] })).status).toBe(201);
    const done = await post(id, {
      status: "success",
      stoppedAt: "2026-11-26T06:01:00.000Z",
      output: { rows: 3 },
      logs: ["started", "done"],
    });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ status: "SUCCESS", duration: 60_000, output: { rows: 3 }, logs: ["started", "done"] });

    const late = await post(id, { status: "running", logs: ["late"] });
    expect(late.status).toBe(200);
    expect(late.body.data).toEqual(done.body.data);
  });

  it("keeps the first terminal status; a later terminal report only fills what is missing", async () => {
    const id = n8nExecutionId();
    await post(id, { status: "success", startedAt: "2026-11-26T06:00:00.000Z", stoppedAt: "2026-11-26T06:00:10.000Z" });
    const second = await post(id, { status: "error", stoppedAt: "2026-11-26T06:00:30.000Z", error: { message: "late" }, apiCallsUsed: 7 });
    expect(second.status).toBe(200);
    expect(second.body.data).toMatchObject({
      status: "SUCCESS",
      completedAt: "2026-11-26T06:00:10.000Z",
      duration: 10_000,
      error: { message: "late" },
      apiCallsUsed: 7,
    });
  });

  it("computes duration from the earliest startedAt, including one from an earlier report", async () => {
    const id = n8nExecutionId();
    await post(id, { status: "running", startedAt: "2026-11-26T06:00:00.000Z" });
    const done = await post(id, { status: "success", startedAt: "2026-11-26T06:00:20.000Z", stoppedAt: "2026-11-26T06:00:45.000Z" });
    expect(done.body.data).toMatchObject({ startedAt: "2026-11-26T06:00:00.000Z", duration: 45_000 });
  });

  it("records timestamps given with an offset as UTC", async () => {
    const res = await post(n8nExecutionId(), {
      status: "success",
      startedAt: "2026-11-26T01:00:00.000-05:00",
      stoppedAt: "2026-11-26T06:00:01.000Z",
    });
    expect(res.body.data).toMatchObject({ startedAt: "2026-11-26T06:00:00.000Z", duration: 1000 });
  });
});

describe("POST /v1/webhooks/n8n/executions: attached report", () => {
  it("creates the report once, owned by the workflow's creator, and links it", async () => {
    const id = n8nExecutionId();
    const first = await postJson(PATH, key, { executionId: id, n8nWorkflowId: wf.n8nWorkflowId, status: "success", report });
    const again = await postJson(PATH, key, {
      executionId: id,
      n8nWorkflowId: wf.n8nWorkflowId,
      status: "success",
      report: { ...report, title: "changed" },
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(first.body.data.reportId).toEqual(expect.any(String));
    expect(again.body.data.reportId).toBe(first.body.data.reportId);
    const rows = await ownerSql.query(`select * from reports where "executionLogId" = $1`, [first.body.data.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      title: "Weekly performance",
      status: "GENERATED",
      userId: acme.user.id,
      workflowId: wf.id,
      clientId: acme.clientId,
    });
  });

  it("creates a report sent with a later report of the same execution", async () => {
    const id = n8nExecutionId();
    await postJson(PATH, key, { executionId: id, n8nWorkflowId: wf.n8nWorkflowId, status: "running" });
    const done = await postJson(PATH, key, { executionId: id, n8nWorkflowId: wf.n8nWorkflowId, status: "success", report });
    expect(done.status).toBe(200);
    expect(done.body.data.reportId).toEqual(expect.any(String));
  });

  it("refuses an invalid report with details, writing nothing", async () => {
    const id = n8nExecutionId();
    const res = await postJson(PATH, key, {
      executionId: id,
      n8nWorkflowId: wf.n8nWorkflowId,
      status: "success",
      report: { ...report, recipients: ["not-an-email"], periodEnd: "2026-11-01T00:00:00.000Z" },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["report.recipients.0"]));
    expect(await executionRows(acme.clientId, id)).toHaveLength(0);
  });
});

describe("POST /v1/webhooks/n8n/executions: concurrency", () => {
  it("50 simultaneous identical posts leave one execution and one report; exactly one answers 201", async () => {
    const id = n8nExecutionId();
    const body = { executionId: id, n8nWorkflowId: wf.n8nWorkflowId, status: "success", report };
    const results = await Promise.all(Array.from({ length: 50 }, () => postJson(PATH, key, body)));
    const statuses = results.map((r) => r.status).sort();
    expect(
      results.filter((r) => r.status >= 300).map((r) => r.body),
      "every post answered",
    ).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    const rows = await executionRows(acme.clientId, id);
    expect(rows).toHaveLength(1);
    expect(await ownerSql.query(`select id from reports where "executionLogId" = $1`, [rows[0]!.id])).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.data.reportId)).size).toBe(1);
  });
});

describe("POST /v1/webhooks/n8n/executions: refusals", () => {
  it("answers 404 naming the unknown n8nWorkflowId or workflowId", async () => {
    const byN8n = await postJson(PATH, key, { executionId: n8nExecutionId(), n8nWorkflowId: "nope123", status: "running" });
    expect(byN8n.status).toBe(404);
    expectEnvelope(byN8n.body, "not_found");
    expect(byN8n.body.error.message).toContain('n8nWorkflowId "nope123"');
    const byId = await postJson(PATH, key, { executionId: n8nExecutionId(), workflowId: "cm_missing", status: "running" });
    expect(byId.status).toBe(404);
    expect(byId.body.error.message).toContain('id "cm_missing"');
  });

  it("answers another tenant's workflow like an unknown one (404), writing nothing", async () => {
    const theirs = await createN8nWorkflow(other.clientId, other.admin.id);
    const id = n8nExecutionId();
    const byN8n = await postJson(PATH, key, { executionId: id, n8nWorkflowId: theirs.n8nWorkflowId, status: "running" });
    const byId = await postJson(PATH, key, { executionId: id, workflowId: theirs.id, status: "running" });
    expect(byN8n.status).toBe(404);
    expect(byId.status).toBe(404);
    expect(await ownerSql.query(`select id from execution_logs where "n8nExecutionId" = $1`, [id])).toHaveLength(0);
  });

  it("answers 403 to a key without executions:write", async () => {
    const readOnly = (await createApiKey(acme.clientId, ["reports:write", "workflows:read"])).key;
    const res = await postJson(PATH, readOnly, { executionId: n8nExecutionId(), n8nWorkflowId: wf.n8nWorkflowId, status: "running" });
    expect(res.status).toBe(403);
    expectEnvelope(res.body, "forbidden");
  });

  it("answers 400 to malformed JSON, a wrong status, no workflow, and stoppedAt before startedAt", async () => {
    const malformed = await postJson(PATH, key, '{"executionId": "1", ');
    expect(malformed.status).toBe(400);
    expectEnvelope(malformed.body, "invalid_request");

    const cases: [Record<string, unknown>, string][] = [
      [{ executionId: "1", n8nWorkflowId: wf.n8nWorkflowId, status: "Success" }, "status"],
      [{ executionId: "1", status: "running" }, "n8nWorkflowId"],
      [{ n8nWorkflowId: wf.n8nWorkflowId, status: "running" }, "executionId"],
      [
        {
          executionId: "1",
          n8nWorkflowId: wf.n8nWorkflowId,
          status: "success",
          startedAt: "2026-11-26T06:00:00Z",
          stoppedAt: "2026-11-26T05:00:00Z",
        },
        "stoppedAt",
      ],
      [{ executionId: "1", n8nWorkflowId: wf.n8nWorkflowId, status: "success", startedAt: "yesterday" }, "startedAt"],
      [{ executionId: "1", n8nWorkflowId: wf.n8nWorkflowId, status: "success", apiCallsUsed: -1 }, "apiCallsUsed"],
    ];
    for (const [body, path] of cases) {
      const res = await postJson(PATH, key, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.body.error.details.map((d: { path: string }) => d.path),
        path,
      ).toContain(path);
    }
  });

  // The exact 5 MiB boundary is the body guard's (its own tests); storing a full 5 MiB body can outlast
  // DB_TIMEOUT_MS on a loaded test machine, so the stored one is well above 1 MiB but smaller.
  it("stores a body above the 1 MiB default as sent, and refuses one above 5 MiB with 413", async () => {
    const MiB = 1024 * 1024;
    const frame = { executionId: n8nExecutionId(), n8nWorkflowId: wf.n8nWorkflowId, status: "success", output: { blob: "" } };
    const overhead = JSON.stringify(frame).length;
    const big = await postJson(PATH, key, { ...frame, output: { blob: "x".repeat(3 * MiB - overhead) } });
    expect(big.status).toBe(201);
    const [row] = await ownerSql.query(`select length(output->>'blob') as n from execution_logs where id = $1`, [big.body.data.id]);
    expect(Number(row!.n)).toBe(3 * MiB - overhead);

    const tooBig = await postEarlyAnswered(
      PATH,
      key,
      JSON.stringify({ ...frame, executionId: n8nExecutionId(), output: { blob: "x".repeat(5 * MiB) } }),
    );
    expect(tooBig.status).toBe(413);
    expectEnvelope(tooBig.body, "payload_too_large");
  });
});

/**
 * POST whose answer may come before the body is fully sent (413 on Content-Length): the server then
 * closes the connection, which fetch reports as a failure even though the answer arrived.
 */
function postEarlyAnswered(
  path: string,
  credential: string,
  body: string,
): Promise<{ status: number; body: { error: { code: string; message: string; requestId: string } } }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      apiUrl(path),
      { method: "POST", headers: { ...bearer(credential), "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        answered = true;
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    req.end(body);
  });
}
