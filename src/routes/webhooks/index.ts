import { resourceRouter } from "../../http/router.js";
import { authorizerWebhook, handleAuthorizerWebhook } from "./authorizer.js";

export const webhookRoutes = resourceRouter().openapi(
  authorizerWebhook,
  handleAuthorizerWebhook,
);
