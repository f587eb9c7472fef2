import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/context.js";
import { validationHook } from "../../http/openapi.js";
import { live, ready } from "./handlers.js";
import { liveness, readiness } from "./routes.js";

export const healthRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(liveness, live)
  .openapi(readiness, ready);
