import { createApiKey } from "../../support/fixtures.js";
import type { SecuredRoute } from "../registry.js";

export const apiKeyRoutes: SecuredRoute[] = [
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
];
