import { uniqueSlug } from "../../support/clients-fixtures.js";
import type { SecuredRoute } from "../registry.js";

export const clientRoutes: SecuredRoute[] = [
  {
    method: "GET",
    path: "/v1/clients",
    role: "VIEWER",
    writes: false,
    request: async () => ({ path: "/v1/clients" }),
  },
  {
    method: "POST",
    path: "/v1/clients",
    role: "SUPER_ADMIN",
    writes: true,
    request: async () => ({ path: "/v1/clients", body: { name: "Security suite", slug: uniqueSlug("suite") } }),
  },
  {
    method: "GET",
    path: "/v1/clients/{id}",
    role: "VIEWER",
    writes: false,
    request: async (t) => ({ path: `/v1/clients/${t.clientId}` }),
    foreign: async (victim) => ({ path: `/v1/clients/${victim.clientId}` }),
    missing: () => ({ path: "/v1/clients/cm_does_not_exist" }),
  },
  {
    method: "PATCH",
    path: "/v1/clients/{id}",
    role: "ADMIN",
    writes: true,
    request: async (t) => ({ path: `/v1/clients/${t.clientId}`, body: { branding: { primaryColor: "#123456" } } }),
    foreign: async (victim) => ({ path: `/v1/clients/${victim.clientId}`, body: { branding: { primaryColor: "#123456" } } }),
    missing: () => ({ path: "/v1/clients/cm_does_not_exist", body: { branding: { primaryColor: "#123456" } } }),
  },
  {
    method: "GET",
    path: "/v1/clients/{id}/usage",
    role: "VIEWER",
    writes: false,
    request: async (t) => ({ path: `/v1/clients/${t.clientId}/usage` }),
    foreign: async (victim) => ({ path: `/v1/clients/${victim.clientId}/usage` }),
    missing: () => ({ path: "/v1/clients/cm_does_not_exist/usage" }),
  },
];
