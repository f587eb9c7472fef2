// Builds the Hono app: middleware chain, routes, docs, and the error/404/405 handlers.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./http/context.js";
import { jsonBody } from "./http/json-body.js";
import { notFoundOrMethodNotAllowed } from "./http/not-found.js";
import { onError } from "./http/on-error.js";
import { validationHook } from "./http/openapi.js";
import { requestContext } from "./http/request-context.js";
import { mountDocs } from "./routes/docs/index.js";
import { apiKeyRoutes } from "./routes/api-keys/index.js";
import { healthRoutes } from "./routes/health/index.js";
import { meRoutes } from "./routes/me/index.js";
import { quotaRoutes } from "./routes/quota/index.js";
import { webhookRoutes } from "./routes/webhooks/index.js";

const MiB = 1024 * 1024;

export function buildApp() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use("*", requestContext);
  // n8n execution payloads may carry large outputs and logs, hence their larger limit.
  app.use("*", jsonBody([{ prefix: "/v1/webhooks/n8n/", maxBytes: 5 * MiB }]));

  app.route("/", healthRoutes);
  app.route("/", meRoutes);
  app.route("/", apiKeyRoutes);
  app.route("/", quotaRoutes);
  app.route("/", webhookRoutes);
  mountDocs(app);

  app.onError(onError);
  app.notFound(notFoundOrMethodNotAllowed(app));
  return app;
}

export type App = ReturnType<typeof buildApp>;
