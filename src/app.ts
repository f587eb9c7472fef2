// Builds the Hono app: middleware chain, routes, docs, and the error/404/405 handlers.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./http/context.js";
import { corsPolicy } from "./http/cors.js";
import { jsonBody } from "./http/json-body.js";
import { notFoundOrMethodNotAllowed } from "./http/not-found.js";
import { onError } from "./http/on-error.js";
import { validationHook } from "./http/openapi.js";
import { requestContext } from "./http/request-context.js";
import { noStore, securityHeaders } from "./http/security-headers.js";
import { mountDocs } from "./routes/docs/index.js";
import { adAccountRoutes } from "./routes/ad-accounts/index.js";
import { adminJobRoutes } from "./routes/admin-jobs/index.js";
import { apiKeyRoutes } from "./routes/api-keys/index.js";
import { clientRoutes } from "./routes/clients/index.js";
import { executionRoutes } from "./routes/executions/index.js";
import { healthRoutes } from "./routes/health/index.js";
import { meRoutes } from "./routes/me/index.js";
import { quotaRoutes } from "./routes/quota/index.js";
import { reportRoutes } from "./routes/reports/index.js";
import { userRoutes } from "./routes/users/index.js";
import { authorizerWebhookRoutes } from "./routes/authorizer-webhook/index.js";
import { n8nWebhookRoutes } from "./routes/n8n-webhooks/index.js";
import { workflowRoutes } from "./routes/workflows/index.js";
import { BENCH_PATH, benchRoutes } from "./routes/bench/index.js";

const MiB = 1024 * 1024;

export function buildApp() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use("*", requestContext);
  app.use("*", securityHeaders, noStore);
  app.use("*", corsPolicy);
  // n8n execution payloads may carry large outputs and logs, hence their larger limit.
  app.use("*", jsonBody([{ prefix: "/v1/webhooks/n8n/", maxBytes: 5 * MiB }]));
  // `npm run bench` only (BENCH_ROUTES=1 on the local stack): raw counterparts of the hot endpoints.
  // After the envelope every response gets (request id, log line, headers), before any route's
  // authentication and validation: the ratio measures what those and the mapping add. Off, it
  // passes everything on (a 404 like any unknown path).
  app.use(`${BENCH_PATH}/*`, benchRoutes);

  // Chained, so the app's type carries every route (hc<AppType> in src/index.ts).
  const routes = app
    .route("/", healthRoutes)
    .route("/", meRoutes)
    .route("/", clientRoutes)
    .route("/", userRoutes)
    .route("/", adAccountRoutes)
    .route("/", quotaRoutes)
    .route("/", workflowRoutes)
    .route("/", executionRoutes)
    .route("/", reportRoutes)
    .route("/", apiKeyRoutes)
    .route("/", adminJobRoutes)
    .route("/", n8nWebhookRoutes)
    .route("/", authorizerWebhookRoutes);
  mountDocs(app);

  app.onError(onError);
  app.notFound(notFoundOrMethodNotAllowed(app));
  return routes;
}

/** The API's type, for a typed client: `hc<AppType>(baseUrl)` from `hono/client`. */
export type AppType = ReturnType<typeof buildApp>;
