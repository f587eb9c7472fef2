// Worker entry. The app is built once per isolate; everything request-scoped lives on the context.
// `scheduled` runs the cron triggers of wrangler.toml (src/jobs/index.ts says which jobs each runs).
import type { ExecutionContext } from "hono";
import { buildApp } from "./app.js";
import type { Bindings } from "./env.js";
import { runScheduled } from "./jobs/index.js";

export type { AppType } from "./app.js";

const app = buildApp();

export default {
  fetch: (request: Request, env: Bindings, ctx: ExecutionContext) => app.fetch(request, env, ctx),
  scheduled: (controller: { cron: string; scheduledTime: number }, env: Bindings) => runScheduled(controller, env),
};
