import { beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "../support/api.js";
import { createApiKey, createTenant, type TestTenant } from "../support/fixtures.js";
import { createN8nWorkflow, executionRows, n8nExecutionId, postJson, type N8nWorkflow } from "../support/n8n-fixtures.js";

const PATH = "/v1/webhooks/n8n/error";

let acme: TestTenant;
let other: TestTenant;
let key: string;
let wf: N8nWorkflow;

beforeAll(async () => {
  [acme, other] = await Promise.all([createTenant(), createTenant()]);
  key = (await createApiKey(acme.clientId, ["executions:write"])).key;
  wf = await createN8nWorkflow(acme.clientId, acme.admin.id);
});

/** What an Error Trigger outputs when a saved execution failed (n8n 1.x). */
const executionShape = (id: string) => ({
  execution: {
    id,
    url: `https://n8n.example.com/workflow/${wf.n8nWorkflowId}/executions/${id}`,
    retryOf: "34",
    error: {
      message: "The resource you are requesting could not be found",
      stack: "NodeApiError: The resource you are requesting could not be found\n    at ExecuteContext.execute",
      name: "NodeApiError",
      node: { name: "Fetch insights", type: "n8n-nodes-base.httpRequest", parameters: { url: "https://graph.facebook.com" } },
      httpCode: "404",
    },
    lastNodeExecuted: "Fetch insights",
    mode: "trigger",
  },
  workflow: { id: wf.n8nWorkflowId, name: "Weekly report" },
});

/** What it outputs when the trigger itself failed: no execution id, and (serialized) no message or stack. */
const triggerShape = (timestamp: number) => ({
  trigger: {
    error: {
      name: "NodeOperationError",
      description: "Cron expression is invalid",
      timestamp,
      node: { name: "Schedule Trigger", type: "n8n-nodes-base.scheduleTrigger" },
      context: {},
    },
    mode: "trigger",
  },
  workflow: { id: wf.n8nWorkflowId, name: "Weekly report" },
});

describe("POST /v1/webhooks/n8n/error", () => {
  it("records the execution shape as FAILED with message, stack and last node, keeping every field", async () => {
    const id = n8nExecutionId();
    const payload = executionShape(id);
    const res = await postJson(PATH, key, payload);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ n8nExecutionId: id, status: "FAILED", workflowId: wf.id, completedAt: expect.any(String) });
    expect(res.body.data.error).toMatchObject({
      message: "The resource you are requesting could not be found",
      stack: expect.stringContaining("NodeApiError"),
      lastNodeExecuted: "Fetch insights",
      mode: "trigger",
      retryOf: "34",
      httpCode: "404",
      node: { name: "Fetch insights" },
    });
    expect(res.body.data.logs).toEqual(payload);
  });

  it("is idempotent per execution id (200 on repeat, one row)", async () => {
    const id = n8nExecutionId();
    expect((await postJson(PATH, key, executionShape(id))).status).toBe(201);
    const again = await postJson(PATH, key, executionShape(id));
    expect(again.status).toBe(200);
    expect(await executionRows(acme.clientId, id)).toHaveLength(1);
  });

  it("fails an execution that reported running, keeping its start", async () => {
    const id = n8nExecutionId();
    await postJson("/v1/webhooks/n8n/executions", key, {
      executionId: id,
      n8nWorkflowId: wf.n8nWorkflowId,
      status: "running",
      startedAt: "2026-11-26T06:00:00.000Z",
    });
    const res = await postJson(PATH, key, executionShape(id));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: "FAILED", startedAt: "2026-11-26T06:00:00.000Z", duration: expect.any(Number) });
  });

  it("never turns a SUCCESS into FAILED", async () => {
    const id = n8nExecutionId();
    await postJson("/v1/webhooks/n8n/executions", key, { executionId: id, n8nWorkflowId: wf.n8nWorkflowId, status: "success" });
    const res = await postJson(PATH, key, executionShape(id));
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe("SUCCESS");
  });

  it("records the trigger shape, keyed by workflow and error timestamp, with a message built from the description", async () => {
    const stamp = Date.now();
    const first = await postJson(PATH, key, triggerShape(stamp));
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ status: "FAILED", n8nExecutionId: `trigger:${wf.n8nWorkflowId}:${stamp}` });
    expect(first.body.data.error).toMatchObject({
      message: "Cron expression is invalid",
      lastNodeExecuted: "Schedule Trigger",
      trigger: true,
    });
    const again = await postJson(PATH, key, triggerShape(stamp));
    expect(again.status).toBe(200);
    expect(again.body.data.id).toBe(first.body.data.id);
  });

  it("names the error and the node when the trigger error has no message or description", async () => {
    const payload = {
      trigger: { error: { name: "WorkflowActivationError", node: { name: "Webhook" } }, mode: "webhook" },
      workflow: { id: wf.n8nWorkflowId },
    };
    const res = await postJson(PATH, key, payload);
    expect(res.status).toBe(201);
    expect(res.body.data.error.message).toBe('WorkflowActivationError in node "Webhook"');
    expect(res.body.data.n8nExecutionId).toMatch(new RegExp(`^trigger:${wf.n8nWorkflowId}:[0-9a-f]{64}$`));
    expect((await postJson(PATH, key, payload)).status).toBe(200);
  });

  it("answers 404 for an unknown or another tenant's workflow", async () => {
    const theirs = await createN8nWorkflow(other.clientId, other.admin.id);
    for (const workflowId of ["unknown42", theirs.n8nWorkflowId]) {
      const res = await postJson(PATH, key, { ...executionShape(n8nExecutionId()), workflow: { id: workflowId, name: "x" } });
      expect(res.status).toBe(404);
      expectEnvelope(res.body, "not_found");
      expect(res.body.error.message).toContain(workflowId);
    }
  });

  it("answers 400 to a body that is neither shape, or both", async () => {
    const none = await postJson(PATH, key, { workflow: { id: wf.n8nWorkflowId } });
    expect(none.status).toBe(400);
    const both = await postJson(PATH, key, { ...executionShape("1"), ...triggerShape(1) });
    expect(both.status).toBe(400);
    const noWorkflow = await postJson(PATH, key, { execution: { id: "1" } });
    expect(noWorkflow.status).toBe(400);
    expect(noWorkflow.body.error.details.map((d: { path: string }) => d.path)).toContain("workflow");
  });

  it("answers 403 to a key without executions:write", async () => {
    const readOnly = (await createApiKey(acme.clientId, ["reports:read"])).key;
    expect((await postJson(PATH, readOnly, executionShape(n8nExecutionId()))).status).toBe(403);
  });
});
