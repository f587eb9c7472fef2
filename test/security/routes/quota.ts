import { createAdAccount } from "../../quota/support.js";
import type { SecuredRoute } from "../registry.js";

export const quotaRoutes: SecuredRoute[] = [
  {
    method: "POST",
    path: "/v1/ad-accounts/{id}/quota/acquire",
    role: "USER",
    scope: "quota:use",
    writes: true,
    request: async (t) => ({ path: `/v1/ad-accounts/${(await createAdAccount(t.clientId)).id}/quota/acquire`, body: { cost: 1 } }),
    foreign: async (victim) => ({
      path: `/v1/ad-accounts/${(await createAdAccount(victim.clientId)).id}/quota/acquire`,
      body: { cost: 1 },
    }),
    missing: () => ({ path: "/v1/ad-accounts/cm_does_not_exist/quota/acquire", body: { cost: 1 } }),
  },
  {
    method: "POST",
    path: "/v1/ad-accounts/{id}/quota/usage",
    role: "USER",
    scope: "quota:use",
    writes: true,
    request: async (t) => ({ path: `/v1/ad-accounts/${(await createAdAccount(t.clientId)).id}/quota/usage`, body: { headers: {} } }),
    foreign: async (victim) => ({
      path: `/v1/ad-accounts/${(await createAdAccount(victim.clientId)).id}/quota/usage`,
      body: { headers: {} },
    }),
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
