import { createN8nWorkflow, n8nExecutionId } from "../../support/n8n-fixtures.js";
import type { SecuredRoute } from "../registry.js";

export const n8nWebhookRoutes: SecuredRoute[] = [
  {
    method: "POST",
    path: "/v1/webhooks/n8n/executions",
    scope: "executions:write",
    writes: true,
    request: async (t) => {
      const wf = await createN8nWorkflow(t.clientId, t.admin.id);
      return {
        path: "/v1/webhooks/n8n/executions",
        body: { executionId: n8nExecutionId(), n8nWorkflowId: wf.n8nWorkflowId, status: "running" },
      };
    },
  },
  {
    method: "POST",
    path: "/v1/webhooks/n8n/error",
    scope: "executions:write",
    writes: true,
    request: async (t) => {
      const wf = await createN8nWorkflow(t.clientId, t.admin.id);
      return {
        path: "/v1/webhooks/n8n/error",
        body: {
          execution: { id: n8nExecutionId(), error: { message: "boom" }, lastNodeExecuted: "HTTP", mode: "trigger" },
          workflow: { id: wf.n8nWorkflowId },
        },
      };
    },
  },
];
