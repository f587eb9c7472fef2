import { resourceRouter } from "../../http/router.js";
import { recordExecution, recordExecutionError } from "./handlers.js";
import { reportExecution, reportExecutionError } from "./routes.js";

export const n8nWebhookRoutes = resourceRouter()
  .openapi(reportExecution, recordExecution)
  .openapi(reportExecutionError, recordExecutionError);
