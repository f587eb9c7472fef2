import { securedRoute } from "../../http/route.js";
import { IdParam, PageQuery, dataOf, listOf } from "../../http/schemas.js";
import { ApiKeySchema, CreateApiKey, CreatedApiKey } from "./schema.js";

export const listApiKeys = securedRoute("apiKeys.list", {
  method: "get",
  path: "/v1/api-keys",
  tags: ["API keys"],
  summary: "List the client's API keys (newest first, revoked ones included)",
  request: { query: PageQuery },
  responses: {
    200: { description: "A page of keys (never the secrets).", content: { "application/json": { schema: listOf(ApiKeySchema) } } },
  },
});

export const createApiKey = securedRoute("apiKeys.create", {
  method: "post",
  path: "/v1/api-keys",
  tags: ["API keys"],
  summary: "Create an API key for a machine (n8n, report delivery); the key is shown once",
  request: { body: { required: true, content: { "application/json": { schema: CreateApiKey } } } },
  responses: {
    201: {
      description: "Created. Store `key` now: it cannot be shown again.",
      content: { "application/json": { schema: dataOf(CreatedApiKey) } },
    },
  },
});

export const revokeApiKey = securedRoute("apiKeys.revoke", {
  method: "delete",
  path: "/v1/api-keys/{id}",
  tags: ["API keys"],
  summary: "Revoke an API key (refused at once on this isolate, within 30 s everywhere)",
  request: { params: IdParam },
  responses: {
    200: { description: "The revoked key. Revoking twice is harmless.", content: { "application/json": { schema: dataOf(ApiKeySchema) } } },
  },
});
