import { createRoute } from "@hono/zod-openapi";
import { guard } from "../../auth/guard.js";
import { errorResponses } from "../../http/openapi.js";
import { IdParam, PageQuery, TenantQuery, dataOf, listOf } from "../../http/schemas.js";
import { ApiKeySchema, CreateApiKey, CreatedApiKey } from "./schema.js";

const tags = ["API keys"];
const security = [{ bearer: [] }];

export const listApiKeys = createRoute({
  method: "get",
  path: "/v1/api-keys",
  tags,
  security,
  summary: "List the client's API keys (newest first, revoked ones included)",
  middleware: [guard("apiKeys.list")] as const,
  request: { query: PageQuery.extend(TenantQuery.shape) },
  responses: {
    200: { description: "A page of keys (never the secrets).", content: { "application/json": { schema: listOf(ApiKeySchema) } } },
    ...errorResponses(400, 401, 403, 503),
  },
});

export const createApiKey = createRoute({
  method: "post",
  path: "/v1/api-keys",
  tags,
  security,
  summary: "Create an API key for a machine (n8n, report delivery); the key is shown once",
  middleware: [guard("apiKeys.create")] as const,
  request: {
    query: TenantQuery,
    body: { required: true, content: { "application/json": { schema: CreateApiKey } } },
  },
  responses: {
    201: { description: "Created. Store `key` now: it cannot be shown again.", content: { "application/json": { schema: dataOf(CreatedApiKey) } } },
    ...errorResponses(400, 401, 403, 404, 413, 415, 503),
  },
});

export const revokeApiKey = createRoute({
  method: "delete",
  path: "/v1/api-keys/{id}",
  tags,
  security,
  summary: "Revoke an API key (refused at once on this isolate, within 30 s everywhere)",
  middleware: [guard("apiKeys.revoke")] as const,
  request: { params: IdParam, query: TenantQuery },
  responses: {
    200: { description: "The revoked key. Revoking twice is harmless.", content: { "application/json": { schema: dataOf(ApiKeySchema) } } },
    ...errorResponses(401, 403, 404, 503),
  },
});
