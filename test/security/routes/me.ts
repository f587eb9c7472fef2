import type { SecuredRoute } from "../registry.js";

export const meRoutes: SecuredRoute[] = [
  {
    method: "GET",
    path: "/v1/me",
    role: "VIEWER",
    writes: false,
    request: async () => ({ path: "/v1/me" }),
  },
];
