import type { SecuredRoute } from "../registry.js";

// A dry run limited to the tenant: checks access without touching anyone's data (other test files
// share the database), in one SQL round trip.
export const adminJobRoutes: SecuredRoute[] = [
  {
    method: "POST",
    path: "/v1/admin/jobs/{name}/run",
    role: "SUPER_ADMIN",
    writes: true,
    request: async (t) => ({ path: `/v1/admin/jobs/retention/run?dryRun=true&clientId=${t.clientId}` }),
  },
];
