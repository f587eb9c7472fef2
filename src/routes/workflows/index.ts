import { resourceRouter } from "../../http/router.js";
import { create, list, read, remove, stats, update } from "./handlers.js";
import { createWorkflow, deleteWorkflow, getWorkflow, getWorkflowStats, listWorkflows, updateWorkflow } from "./routes.js";

export const workflowRoutes = resourceRouter()
  .openapi(listWorkflows, list)
  .openapi(createWorkflow, create)
  .openapi(getWorkflow, read)
  .openapi(updateWorkflow, update)
  .openapi(deleteWorkflow, remove)
  .openapi(getWorkflowStats, stats);
