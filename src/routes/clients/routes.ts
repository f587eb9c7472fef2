import { securedRoute } from "../../http/route.js";
import { IdParam, dataOf, listOf } from "../../http/schemas.js";
import { ClientListQuery, ClientSchema, ClientUsage, CreateClient, UpdateClient } from "./schema.js";

export const listClients = securedRoute("clients.list", {
  method: "get",
  path: "/v1/clients",
  tags: ["Me and tenants"],
  summary: "List clients: every one for a SUPER_ADMIN, the caller's own otherwise",
  description:
    "Newest first (by `createdAt`). A SUPER_ADMIN sees every client (or only the one named with `?clientId=`); " +
    "anyone else gets a list of their own client (empty if a filter excludes it).",
  request: { query: ClientListQuery },
  responses: {
    200: { description: "A page of clients.", content: { "application/json": { schema: listOf(ClientSchema) } } },
  },
});

export const createClient = securedRoute("clients.create", {
  method: "post",
  path: "/v1/clients",
  tags: ["Me and tenants"],
  summary: "Create a client (SUPER_ADMIN)",
  description:
    "Absent fields take the schema's defaults: tier FREE, status TRIAL, maxUsers 5, maxWorkflows 10, maxAdAccounts 3, settings {}. " +
    "A slug or domain already taken → 409 `conflict` naming the field.",
  request: { body: { required: true, content: { "application/json": { schema: CreateClient } } } },
  responses: {
    201: { description: "Created.", content: { "application/json": { schema: dataOf(ClientSchema) } } },
  },
  errors: [409],
});

export const getClient = securedRoute("clients.read", {
  method: "get",
  path: "/v1/clients/{id}",
  tags: ["Me and tenants"],
  summary: "A client (any member of it, or a SUPER_ADMIN)",
  request: { params: IdParam },
  responses: {
    200: { description: "The client.", content: { "application/json": { schema: dataOf(ClientSchema) } } },
  },
});

export const updateClient = securedRoute("clients.update", {
  method: "patch",
  path: "/v1/clients/{id}",
  tags: ["Me and tenants"],
  summary: "Change a client: an ADMIN of it its name, domain, settings and branding; a SUPER_ADMIN also the plan",
  description:
    "An ADMIN naming a plan field (`tier`, `status`, `maxUsers`, `maxWorkflows`, `maxAdAccounts`, `trialEndsAt`, " +
    "`subscriptionEndsAt`) → 403 `forbidden`, and nothing changes.\n\n" +
    "`settings` is **merged** into the stored settings, one level deep: keys given replace those keys, keys absent are kept, " +
    "a key set to `null` is removed. `settings.retentionDays` must be an integer 1–3650, `settings.executionTimeoutMinutes` a " +
    "positive integer. `branding` is replaced as a whole (`null` clears it).\n\n" +
    "A status change takes effect at once for the client's API keys and users on the isolate that made it, within 30 seconds everywhere.",
  request: {
    params: IdParam,
    body: { required: true, content: { "application/json": { schema: UpdateClient } } },
  },
  responses: {
    200: { description: "The changed client.", content: { "application/json": { schema: dataOf(ClientSchema) } } },
  },
  errors: [409],
});

export const getClientUsage = securedRoute("clients.usage", {
  method: "get",
  path: "/v1/clients/{id}/usage",
  tags: ["Me and tenants"],
  summary: "Counts against the plan limits, and executions and Meta API calls over the last 30 days",
  description:
    "`users.current` counts users that are not INACTIVE (invitations included). Executions are those whose `startedAt` is within " +
    "the last 30 days; `failed` counts FAILED and TIMEOUT; `apiCalls.last30Days` sums their `apiCallsUsed`.",
  request: { params: IdParam },
  responses: {
    200: { description: "The client's usage.", content: { "application/json": { schema: dataOf(ClientUsage) } } },
  },
});
