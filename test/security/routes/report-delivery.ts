import { createReport } from "../../support/n8n-fixtures.js";
import type { SecuredRoute } from "../registry.js";

export const reportDeliveryRoutes: SecuredRoute[] = [
  {
    method: "POST",
    path: "/v1/reports/{id}/delivery",
    scope: "reports:write",
    writes: true,
    request: async (t) => ({ path: `/v1/reports/${await createReport(t.clientId, t.admin.id)}/delivery`, body: { status: "SENT" } }),
    foreign: async (victim) => ({
      path: `/v1/reports/${await createReport(victim.clientId, victim.admin.id)}/delivery`,
      body: { status: "SENT" },
    }),
    missing: () => ({ path: "/v1/reports/cm_does_not_exist/delivery", body: { status: "SENT" } }),
  },
];
