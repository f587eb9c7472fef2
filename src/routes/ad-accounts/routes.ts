import { z } from "@hono/zod-openapi";
import { securedRoute } from "../../http/route.js";
import { IdParam, PageQuery, dataOf, listOf } from "../../http/schemas.js";
import { AdAccountCredentials, AdAccountListQuery, AdAccountSchema, CreateAdAccount, UpdateAdAccount } from "./schema.js";

const TAGS: ["Ad accounts"] = ["Ad accounts"];

export const listAdAccounts = securedRoute("adAccounts.list", {
  method: "get",
  path: "/v1/ad-accounts",
  tags: TAGS,
  summary: "List the client's ad accounts (newest first)",
  description: "Every member of the client may list them. Access tokens are never listed: see `hasAccessToken`.",
  request: { query: PageQuery.extend(AdAccountListQuery.shape) },
  responses: {
    200: { description: "A page of ad accounts.", content: { "application/json": { schema: listOf(AdAccountSchema) } } },
  },
});

export const createAdAccount = securedRoute("adAccounts.create", {
  method: "post",
  path: "/v1/ad-accounts",
  tags: TAGS,
  summary: "Connect a Meta ad account (ADMIN)",
  description:
    "The access token is encrypted before it is stored and never appears in responses. " +
    "Counts against the plan's `maxAdAccounts` (409 `limit_reached`). A `metaAdAccountId` already connected " +
    "(to any client) is 409 `conflict`.",
  request: { body: { required: true, content: { "application/json": { schema: CreateAdAccount } } } },
  responses: {
    201: { description: "Connected.", content: { "application/json": { schema: dataOf(AdAccountSchema) } } },
  },
  errors: [409],
});

export const getAdAccount = securedRoute("adAccounts.read", {
  method: "get",
  path: "/v1/ad-accounts/{id}",
  tags: TAGS,
  summary: "Read an ad account (never its token)",
  request: { params: IdParam },
  responses: {
    200: { description: "The ad account.", content: { "application/json": { schema: dataOf(AdAccountSchema) } } },
  },
});

export const updateAdAccount = securedRoute("adAccounts.update", {
  method: "patch",
  path: "/v1/ad-accounts/{id}",
  tags: TAGS,
  summary: "Change an ad account (ADMIN): name, token, limits, ACTIVE/INACTIVE",
  description:
    "A new `accessToken` is encrypted before it is stored. `status` may only be set to ACTIVE or INACTIVE; " +
    "DISCONNECTED, RATE_LIMITED and ERROR are set by the platform.",
  request: {
    params: IdParam,
    body: { required: true, content: { "application/json": { schema: UpdateAdAccount } } },
  },
  responses: {
    200: { description: "The changed ad account.", content: { "application/json": { schema: dataOf(AdAccountSchema) } } },
  },
});

export const deleteAdAccount = securedRoute("adAccounts.delete", {
  method: "delete",
  path: "/v1/ad-accounts/{id}",
  tags: TAGS,
  summary: "Disconnect and delete an ad account (ADMIN)",
  description:
    "Deletes the account and its stored token. Its workflows, executions and reports are kept, with their " + "`adAccountId` set to null.",
  request: { params: IdParam },
  responses: {
    200: { description: "The deleted ad account.", content: { "application/json": { schema: dataOf(AdAccountSchema) } } },
  },
});

export const getAdAccountCredentials = securedRoute("adAccounts.credentials", {
  method: "get",
  path: "/v1/ad-accounts/{id}/credentials",
  tags: TAGS,
  summary: "The ad account's Meta access token, in clear (ADMIN, or an API key with ad_accounts:credentials)",
  description: "For n8n's Meta calls. Each read is logged (never the token). Sent with `Cache-Control: no-store`.",
  request: { params: IdParam },
  responses: {
    200: {
      description: "The credentials.",
      headers: z.object({ "Cache-Control": z.string().openapi({ example: "no-store" }) }),
      content: { "application/json": { schema: dataOf(AdAccountCredentials) } },
    },
  },
});
