// Worker entry. The app is built once per isolate; everything request-scoped lives on the context.
import type { ExecutionContext } from "hono";
import { buildApp } from "./app.js";
import type { Bindings } from "./env.js";

export type { AppType } from "./app.js";

const app = buildApp();

export default {
  fetch: (request: Request, env: Bindings, ctx: ExecutionContext) => app.fetch(request, env, ctx),
};
