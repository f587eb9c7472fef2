// Every route of the API registers here with what it requires and how to make a valid request.
// The shared suite (suite.test.ts) attacks each one; coverage.test.ts fails when a route in the
// OpenAPI document is missing from this list, so a new route cannot skip the checks.
import type { ApiKeyScope, UserRole } from "../../src/auth/policy.js";
import { createApiKey, type TestTenant } from "../support/fixtures.js";
import { createAdAccount } from "../quota/support.js";

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
  {
    method: "GET",
    path: "/v1/me",
    role: "VIEWER",
    writes: false,
    request: async () => ({ path: "/v1/me" }),
  },
  {
    method: "GET",
    path: "/v1/api-keys",
    role: "ADMIN",
    writes: false,
    request: async () => ({ path: "/v1/api-keys" }),
  },
  {
    method: "POST",
    path: "/v1/api-keys",
    role: "ADMIN",
    writes: true,
    request: async () => ({ path: "/v1/api-keys", body: { name: "security suite", scopes: ["reports:read"] } }),
  },
  {
    method: "DELETE",
    path: "/v1/api-keys/{id}",
    role: "ADMIN",
    writes: true,
    request: async (t) => ({ path: `/v1/api-keys/${(await createApiKey(t.clientId, ["reports:read"])).id}` }),
    foreign: async (victim) => ({ path: `/v1/api-keys/${(await createApiKey(victim.clientId, ["reports:read"])).id}` }),
    missing: () => ({ path: "/v1/api-keys/cm_does_not_exist" }),
  },
  {
    method: "POST",
    path: "/v1/ad-accounts/{id}/quota/acquire",
    role: "USER",
    scope: "quota:use",
    writes: true,
    request: async (t) => ({ path: `/v1/ad-accounts/${(await createAdAccount(t.clientId)).id}/quota/acquire`, body: { cost: 1 } }),
    foreign: async (victim) => ({ path: `/v1/ad-accounts/${(await createAdAccount(victim.clientId)).id}/quota/acquire`, body: { cost: 1 } }),
    missing: () => ({ path: "/v1/ad-accounts/cm_does_not_exist/quota/acquire", body: { cost: 1 } }),
  },
  {
    method: "POST",
    path: "/v1/ad-accounts/{id}/quota/usage",
    role: "USER",
    scope: "quota:use",
    writes: true,
    request: async (t) => ({ path: `/v1/ad-accounts/${(await createAdAccount(t.clientId)).id}/quota/usage`, body: { headers: {} } }),
    foreign: async (victim) => ({ path: `/v1/ad-accounts/${(await createAdAccount(victim.clientId)).id}/quota/usage`, body: { headers: {} } }),
    missing: () => ({ path: "/v1/ad-accounts/cm_does_not_exist/quota/usage", body: { headers: {} } }),
  },
  {
    method: "GET",
    path: "/v1/ad-accounts/{id}/quota",
    role: "VIEWER",
    scope: "quota:use",
    writes: false,
    request: async (t) => ({ path: `/v1/ad-accounts/${(await createAdAccount(t.clientId)).id}/quota` }),
    foreign: async (victim) => ({ path: `/v1/ad-accounts/${(await createAdAccount(victim.clientId)).id}/quota` }),
    missing: () => ({ path: "/v1/ad-accounts/cm_does_not_exist/quota" }),
  },
];
