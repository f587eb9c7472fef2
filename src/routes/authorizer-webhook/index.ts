import { resourceRouter } from "../../http/router.js";
import { handleAuthorizerWebhook } from "./handlers.js";
import { authorizerWebhook } from "./routes.js";

export const authorizerWebhookRoutes = resourceRouter().openapi(authorizerWebhook, handleAuthorizerWebhook);
