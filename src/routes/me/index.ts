import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/context.js";
import { validationHook } from "../../http/openapi.js";
import { me } from "./handlers.js";
import { getMe } from "./routes.js";

export const meRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(getMe, me);
