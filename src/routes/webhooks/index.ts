import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/context.js";
import { validationHook } from "../../http/openapi.js";
import { authorizerWebhook, handleAuthorizerWebhook } from "./authorizer.js";

export const webhookRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  authorizerWebhook,
  handleAuthorizerWebhook,
);
