import { seedAdAccount, uniqueMetaId } from "../../support/ad-account-fixtures.js";
import { ownerSql } from "../../support/fixtures.js";
import type { SecuredRoute } from "../registry.js";

const MISSING = "/v1/ad-accounts/cm_does_not_exist";

const byId = (suffix = "") => ({
  request: async (t: { clientId: string }) => ({ path: `/v1/ad-accounts/${(await seedAdAccount(t.clientId)).id}${suffix}` }),
  foreign: async (victim: { clientId: string }) => ({ path: `/v1/ad-accounts/${(await seedAdAccount(victim.clientId)).id}${suffix}` }),
  missing: () => ({ path: `${MISSING}${suffix}` }),
});

export const adAccountRoutes: SecuredRoute[] = [
  {
    method: "GET",
    path: "/v1/ad-accounts",
    role: "VIEWER",
    writes: false,
    request: async () => ({ path: "/v1/ad-accounts" }),
  },
  {
    method: "POST",
    path: "/v1/ad-accounts",
    role: "ADMIN",
    writes: true,
    request: async (t) => {
      // The suite creates many: keep the tenant under its plan limit.
      await ownerSql.query(`update clients set "maxAdAccounts" = 1000 where id = $1`, [t.clientId]);
      return { path: "/v1/ad-accounts", body: { metaAdAccountId: uniqueMetaId(), name: "security suite", accessToken: "EAAsecurity" } };
    },
  },
  { method: "GET", path: "/v1/ad-accounts/{id}", role: "VIEWER", writes: false, ...byId() },
  {
    method: "PATCH",
    path: "/v1/ad-accounts/{id}",
    role: "ADMIN",
    writes: true,
    request: async (t) => ({ path: `/v1/ad-accounts/${(await seedAdAccount(t.clientId)).id}`, body: { name: "renamed" } }),
    foreign: async (victim) => ({ path: `/v1/ad-accounts/${(await seedAdAccount(victim.clientId)).id}`, body: { name: "renamed" } }),
    missing: () => ({ path: MISSING, body: { name: "renamed" } }),
  },
  { method: "DELETE", path: "/v1/ad-accounts/{id}", role: "ADMIN", writes: true, ...byId() },
  {
    method: "GET",
    path: "/v1/ad-accounts/{id}/credentials",
    role: "ADMIN",
    scope: "ad_accounts:credentials",
    writes: false,
    ...byId("/credentials"),
  },
];
