import { resourceRouter } from "../../http/router.js";
import { authorizerWebhook, handleAuthorizerWebhook } from "./authorizer.js";
import { recordExecution, recordExecutionError } from "./n8n-handlers.js";
import { reportExecution, reportExecutionError } from "./n8n-routes.js";

export const webhookRoutes = resourceRouter()
  .openapi(authorizerWebhook, handleAuthorizerWebhook)
  .openapi(reportExecution, recordExecution)
  .openapi(reportExecutionError, recordExecutionError);
