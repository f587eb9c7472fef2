import { createReport as createReportRow } from "../../support/n8n-fixtures.js";
import { createReport } from "../../support/activity-fixtures.js";
import type { TestTenant } from "../../support/fixtures.js";
import type { SecuredRoute } from "../registry.js";

const reportOf = (t: TestTenant) => createReport(t.clientId, t.user.id);
const missing = () => ({ path: "/v1/reports/cm_does_not_exist" });

export const reportRoutes: SecuredRoute[] = [
  {
    method: "GET",
    path: "/v1/reports",
    role: "VIEWER",
    scope: "reports:read",
    writes: false,
    request: async () => ({ path: "/v1/reports" }),
  },
  {
    method: "POST",
    path: "/v1/reports",
    role: "USER",
    scope: "reports:write",
    writes: true,
    request: async () => ({
      path: "/v1/reports",
      body: {
        title: "security suite",
        type: "CUSTOM",
        periodStart: "2026-11-01T00:00:00Z",
        periodEnd: "2026-11-08T00:00:00Z",
        content: "# x",
        recipients: ["team@tenant.test"],
      },
    }),
  },
  {
    method: "GET",
    path: "/v1/reports/{id}",
    role: "VIEWER",
    scope: "reports:read",
    writes: false,
    request: async (t) => ({ path: `/v1/reports/${await reportOf(t)}` }),
    foreign: async (victim) => ({ path: `/v1/reports/${await reportOf(victim)}` }),
    missing,
  },
  {
    method: "PATCH",
    path: "/v1/reports/{id}",
    role: "USER",
    scope: "reports:write",
    writes: true,
    request: async (t) => ({ path: `/v1/reports/${await reportOf(t)}`, body: { title: "renamed" } }),
    foreign: async (victim) => ({ path: `/v1/reports/${await reportOf(victim)}`, body: { title: "renamed" } }),
    missing: () => ({ ...missing(), body: { title: "renamed" } }),
  },
  {
    method: "DELETE",
    path: "/v1/reports/{id}",
    role: "ADMIN",
    writes: true,
    request: async (t) => ({ path: `/v1/reports/${await reportOf(t)}` }),
    foreign: async (victim) => ({ path: `/v1/reports/${await reportOf(victim)}` }),
    missing,
  },
  {
    method: "POST",
    path: "/v1/reports/{id}/delivery",
    scope: "reports:write",
    writes: true,
    request: async (t) => ({ path: `/v1/reports/${await createReportRow(t.clientId, t.admin.id)}/delivery`, body: { status: "SENT" } }),
    foreign: async (victim) => ({
      path: `/v1/reports/${await createReportRow(victim.clientId, victim.admin.id)}/delivery`,
      body: { status: "SENT" },
    }),
    missing: () => ({ path: "/v1/reports/cm_does_not_exist/delivery", body: { status: "SENT" } }),
  },
];
