import { createExecution, createWorkflow } from "../../support/activity-fixtures.js";
import type { TestTenant } from "../../support/fixtures.js";
import type { SecuredRoute } from "../registry.js";

async function executionOf(t: TestTenant): Promise<string> {
  return createExecution(t.clientId, await createWorkflow(t.clientId, t.admin.id));
}

export const executionRoutes: SecuredRoute[] = [
  {
    method: "GET",
    path: "/v1/executions",
    role: "VIEWER",
    writes: false,
    request: async () => ({ path: "/v1/executions" }),
  },
  {
    method: "GET",
    path: "/v1/executions/{id}",
    role: "VIEWER",
    writes: false,
    request: async (t) => ({ path: `/v1/executions/${await executionOf(t)}` }),
    foreign: async (victim) => ({ path: `/v1/executions/${await executionOf(victim)}` }),
    missing: () => ({ path: "/v1/executions/cm_does_not_exist" }),
  },
];
