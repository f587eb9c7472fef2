import type { TestTenant } from "../../support/fixtures.js";
import { insertWorkflow, setMaxWorkflows } from "../../support/workflow-fixtures.js";
import type { SecuredRoute } from "../registry.js";

const workflowOf = (t: TestTenant) => insertWorkflow(t.clientId, t.admin.id);
const MISSING = "cm_no_such_workflow";

export const workflowRoutes: SecuredRoute[] = [
  {
    method: "GET",
    path: "/v1/workflows",
    role: "VIEWER",
    scope: "workflows:read",
    writes: false,
    request: async () => ({ path: "/v1/workflows" }),
  },
  {
    method: "POST",
    path: "/v1/workflows",
    role: "USER",
    writes: true,
    request: async (t) => {
      // The suite makes many workflows for the same tenant; the plan limit is not under test here.
      await setMaxWorkflows(t.clientId, 10_000);
      return { path: "/v1/workflows", body: { name: "security suite", type: "CUSTOM" } };
    },
  },
  {
    method: "GET",
    path: "/v1/workflows/{id}",
    role: "VIEWER",
    scope: "workflows:read",
    writes: false,
    request: async (t) => ({ path: `/v1/workflows/${await workflowOf(t)}` }),
    foreign: async (victim) => ({ path: `/v1/workflows/${await workflowOf(victim)}` }),
    missing: () => ({ path: `/v1/workflows/${MISSING}` }),
  },
  {
    method: "PATCH",
    path: "/v1/workflows/{id}",
    role: "USER",
    writes: true,
    request: async (t) => ({ path: `/v1/workflows/${await workflowOf(t)}`, body: { status: "PAUSED" } }),
    foreign: async (victim) => ({ path: `/v1/workflows/${await workflowOf(victim)}`, body: { status: "PAUSED" } }),
    missing: () => ({ path: `/v1/workflows/${MISSING}`, body: { status: "PAUSED" } }),
  },
  {
    method: "DELETE",
    path: "/v1/workflows/{id}",
    role: "ADMIN",
    writes: true,
    request: async (t) => ({ path: `/v1/workflows/${await workflowOf(t)}` }),
    foreign: async (victim) => ({ path: `/v1/workflows/${await workflowOf(victim)}` }),
    missing: () => ({ path: `/v1/workflows/${MISSING}` }),
  },
  {
    method: "GET",
    path: "/v1/workflows/{id}/stats",
    role: "VIEWER",
    scope: "workflows:read",
    writes: false,
    request: async (t) => ({ path: `/v1/workflows/${await workflowOf(t)}/stats?days=7` }),
    foreign: async (victim) => ({ path: `/v1/workflows/${await workflowOf(victim)}/stats` }),
    missing: () => ({ path: `/v1/workflows/${MISSING}/stats` }),
  },
];
