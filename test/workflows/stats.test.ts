import { beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "../support/api.js";
import { api } from "../support/client.js";
import { bearer, createTenant, type TestTenant } from "../support/fixtures.js";
import { insertExecution, insertWorkflow, type ExecutionFixture } from "../support/workflow-fixtures.js";
import { send } from "./support.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let acme: TestTenant;
let workflowId: string;

beforeAll(async () => {
  acme = await createTenant();
  workflowId = await insertWorkflow(acme.clientId, acme.admin.id);
  const sibling = await insertWorkflow(acme.clientId, acme.admin.id);
  const ago = (ms: number) => new Date(Date.now() - ms);
  const executions: ExecutionFixture[] = [
    // In the last 3 days.
    { status: "SUCCESS", startedAt: ago(1 * DAY), duration: 1000, apiCallsUsed: 10 },
    { status: "SUCCESS", startedAt: ago(2 * DAY), duration: 2000, apiCallsUsed: 5 },
    { status: "RUNNING", startedAt: ago(1 * HOUR), duration: null, apiCallsUsed: 1 },
    // In the last 30 days.
    { status: "SUCCESS", startedAt: ago(3.5 * DAY), duration: null, apiCallsUsed: 3 },
    { status: "FAILED", startedAt: ago(4 * DAY), duration: 500, apiCallsUsed: 3 },
    { status: "TIMEOUT", startedAt: ago(5 * DAY), duration: 60000, apiCallsUsed: 7 },
    { status: "CANCELLED", startedAt: ago(6 * DAY), duration: 334, apiCallsUsed: 2 },
    // Before the default period.
    { status: "SUCCESS", startedAt: ago(31 * DAY), duration: 99999, apiCallsUsed: 100 },
    { status: "FAILED", startedAt: ago(40 * DAY), duration: 1, apiCallsUsed: 50 },
  ];
  await Promise.all(executions.map((e) => insertExecution(acme.clientId, workflowId, e)));
  // Another workflow's executions never count.
  await insertExecution(acme.clientId, sibling, { status: "FAILED", startedAt: ago(HOUR), duration: 7, apiCallsUsed: 70 });
});

describe("GET /v1/workflows/{id}/stats", () => {
  it("aggregates the executions started in the last 30 days by default", async () => {
    const before = Date.now();
    const res = await api.v1.workflows[":id"].stats.$get({ param: { id: workflowId }, query: {} }, { headers: bearer(acme.viewer.token) });
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    const { data } = await res.json();
    expect(data.executions).toEqual({ total: 7, successful: 3, failed: 2, successRate: 42.86 });
    // Durations 1000, 2000, 500, 60000, 334 (two executions have none); api calls 31 over 7.
    expect(data.performance).toEqual({ avgDuration: 12766.8, totalApiCalls: 31, avgApiCallsPerExecution: 4.43 });
    expect(data.period.days).toBe(30);
    expect(Math.abs(Date.parse(data.period.since) - (before - 30 * DAY))).toBeLessThan(60_000);
  });

  it("narrows to ?days=", async () => {
    const res = await send("GET", `/v1/workflows/${workflowId}/stats?days=3`, acme.user.token);
    expect(res.status).toBe(200);
    expect(res.body.data.executions).toEqual({ total: 3, successful: 2, failed: 0, successRate: 66.67 });
    expect(res.body.data.performance).toEqual({ avgDuration: 1500, totalApiCalls: 16, avgApiCallsPerExecution: 5.33 });
    expect(res.body.data.period.days).toBe(3);
  });

  it("widens to a year and answers numbers, never strings", async () => {
    const res = await send("GET", `/v1/workflows/${workflowId}/stats?days=365`, acme.user.token);
    expect(res.body.data.executions).toEqual({ total: 9, successful: 4, failed: 3, successRate: 44.44 });
    expect(res.body.data.performance).toEqual({ avgDuration: 23404.86, totalApiCalls: 181, avgApiCallsPerExecution: 20.11 });
  });

  it("answers zeros and a null average duration for a workflow without executions", async () => {
    const idle = await insertWorkflow(acme.clientId, acme.admin.id);
    const res = await send("GET", `/v1/workflows/${idle}/stats`, acme.viewer.token);
    expect(res.status).toBe(200);
    expect(res.body.data.executions).toEqual({ total: 0, successful: 0, failed: 0, successRate: 0 });
    expect(res.body.data.performance).toEqual({ avgDuration: null, totalApiCalls: 0, avgApiCallsPerExecution: 0 });
  });

  it.each(["days=0", "days=366", "days=1.5", "days=abc", "days="])("refuses ?%s with 400 on days", async (q) => {
    const res = await send("GET", `/v1/workflows/${workflowId}/stats?${q}`, acme.viewer.token);
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
    expect(res.body.error.details[0].path).toBe("days");
  });

  it("answers 404 for another tenant's workflow, like a missing one", async () => {
    const other = await createTenant();
    const theirs = await insertWorkflow(other.clientId, other.admin.id);
    await insertExecution(other.clientId, theirs, { status: "SUCCESS", startedAt: new Date(), duration: 5 });
    const res = await send("GET", `/v1/workflows/${theirs}/stats`, acme.admin.token);
    expect(res.status).toBe(404);
    expectEnvelope(res.body, "not_found");
  });
});
