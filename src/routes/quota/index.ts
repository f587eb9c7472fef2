import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/context.js";
import { validationHook } from "../../http/openapi.js";
import { acquire, read, usage } from "./handlers.js";
import { acquireQuota, getQuota, reportUsage } from "./routes.js";

export const quotaRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(acquireQuota, acquire)
  .openapi(reportUsage, usage)
  .openapi(getQuota, read);
