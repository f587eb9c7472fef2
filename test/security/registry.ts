// Every route of the API registers here (one file per resource under routes/) with what it requires and how to make a valid request.
// The shared suite (suite.test.ts) attacks each one; coverage.test.ts fails when a route in the
// OpenAPI document is missing from this list, so a new route cannot skip the checks.
import type { ApiKeyScope, UserRole } from "../../src/auth/policy.js";
import type { TestTenant } from "../support/fixtures.js";
import { adAccountRoutes } from "./routes/ad-accounts.js";
import { adminJobRoutes } from "./routes/admin-jobs.js";
import { apiKeyRoutes } from "./routes/api-keys.js";
import { clientRoutes } from "./routes/clients.js";
import { executionRoutes } from "./routes/executions.js";
import { meRoutes } from "./routes/me.js";
import { reportRoutes } from "./routes/reports.js";
import { userRoutes } from "./routes/users.js";
import { n8nWebhookRoutes } from "./routes/n8n-webhooks.js";
import { workflowRoutes } from "./routes/workflows.js";
import { quotaRoutes } from "./routes/quota.js";

export interface RouteRequest {
  path: string;
  body?: unknown;
}

export interface SecuredRoute {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** As in the OpenAPI document. */
  path: string;
  /** Lowest role allowed; absent = people cannot use it. */
  role?: UserRole;
  /** API key scope that allows it; absent = API keys cannot use it. */
  scope?: ApiKeyScope;
  /** A write: refused for SUSPENDED/CANCELLED tenants. */
  writes: boolean;
  /** A valid request on behalf of tenant `t` (creating what it needs). */
  request(t: TestTenant): Promise<RouteRequest>;
  /** The same request aimed at an object of `victim` (routes with an id). */
  foreign?(victim: TestTenant): Promise<RouteRequest>;
  /** The same request aimed at an id that does not exist. */
  missing?(): RouteRequest;
}

/** Routes that need no credential (documented as such). */
export const PUBLIC_ROUTES = ["GET /health", "GET /health/ready", "GET /openapi.json", "GET /docs"];

/** Routes authenticated by a signature instead of a bearer credential (tested in their own files). */
export const SIGNED_ROUTES = ["POST /v1/webhooks/authorizer"];

export const SECURED_ROUTES: SecuredRoute[] = [
  ...meRoutes,
  ...clientRoutes,
  ...userRoutes,
  ...adAccountRoutes,
  ...workflowRoutes,
  ...executionRoutes,
  ...reportRoutes,
  ...apiKeyRoutes,
  ...quotaRoutes,
  ...n8nWebhookRoutes,
  ...adminJobRoutes,
];
