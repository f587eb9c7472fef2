import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/context.js";
import { validationHook } from "../../http/openapi.js";
import { create, list, revoke } from "./handlers.js";
import { createApiKey, listApiKeys, revokeApiKey } from "./routes.js";

export const apiKeyRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listApiKeys, list)
  .openapi(createApiKey, create)
  .openapi(revokeApiKey, revoke);
