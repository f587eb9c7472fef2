import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./context.js";
import { validationHook } from "./openapi.js";

/** A resource's sub-app: chain `.openapi(route, handler)` on it so the app's type (and `hc`) sees every route. */
export const resourceRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
