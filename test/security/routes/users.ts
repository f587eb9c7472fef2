import { createUser } from "../../support/fixtures.js";
import { setMaxUsers, uniqueEmail } from "../../support/users-fixtures.js";
import type { SecuredRoute } from "../registry.js";

// The suite adds users to its tenants as it goes: lift the plan limit so a valid request stays valid.
const roomy = async (clientId: string) => setMaxUsers(clientId, 10_000);

export const userRoutes: SecuredRoute[] = [
  {
    method: "GET",
    path: "/v1/users",
    role: "VIEWER",
    writes: false,
    request: async () => ({ path: "/v1/users" }),
  },
  {
    method: "POST",
    path: "/v1/users",
    role: "ADMIN",
    writes: true,
    request: async (t) => {
      await roomy(t.clientId);
      return { path: "/v1/users", body: { email: uniqueEmail("suite"), role: "VIEWER" } };
    },
  },
  {
    method: "GET",
    path: "/v1/users/{id}",
    role: "VIEWER",
    writes: false,
    request: async (t) => ({ path: `/v1/users/${t.viewer.id}` }),
    foreign: async (victim) => ({ path: `/v1/users/${victim.viewer.id}` }),
    missing: () => ({ path: "/v1/users/cm_does_not_exist" }),
  },
  {
    method: "PATCH",
    path: "/v1/users/{id}",
    role: "ADMIN",
    writes: true,
    request: async (t) => ({
      path: `/v1/users/${(await createUser({ clientId: t.clientId, role: "VIEWER" })).id}`,
      body: { firstName: "Suite" },
    }),
    foreign: async (victim) => ({ path: `/v1/users/${victim.viewer.id}`, body: { firstName: "Suite" } }),
    missing: () => ({ path: "/v1/users/cm_does_not_exist", body: { firstName: "Suite" } }),
  },
  {
    method: "DELETE",
    path: "/v1/users/{id}",
    role: "ADMIN",
    writes: true,
    request: async (t) => ({ path: `/v1/users/${(await createUser({ clientId: t.clientId, role: "VIEWER" })).id}` }),
    foreign: async (victim) => ({ path: `/v1/users/${(await createUser({ clientId: victim.clientId, role: "VIEWER" })).id}` }),
    missing: () => ({ path: "/v1/users/cm_does_not_exist" }),
  },
];
