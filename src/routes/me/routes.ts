import { createRoute, z } from "@hono/zod-openapi";
import { guard } from "../../auth/guard.js";
import { errorResponses } from "../../http/openapi.js";
import { TenantQuery, dataOf } from "../../http/schemas.js";
import { ClientSchema } from "../clients/schema.js";
import { UserSchema } from "../users/schema.js";

const Usage = z.object({ current: z.number().int(), max: z.number().int() });

export const Me = z
  .object({
    user: UserSchema,
    client: ClientSchema.nullable(),
    limits: z
      .object({ users: Usage, workflows: Usage, adAccounts: Usage })
      .nullable()
      .openapi({ example: { users: { current: 3, max: 25 }, workflows: { current: 4, max: 50 }, adAccounts: { current: 2, max: 10 } } }),
  })
  .openapi("Me", {
    example: {
      user: {
        id: "demo_user_admin_acme",
        email: "admin@acme.test",
        firstName: "Ana",
        lastName: "Acosta",
        role: "ADMIN",
        status: "ACTIVE",
        clientId: "demo_client_acme",
        createdAt: "2026-08-09T09:34:14.636Z",
        updatedAt: "2026-11-07T09:34:14.636Z",
        lastLoginAt: "2026-11-25T19:34:14.636Z",
      },
      client: {
        id: "demo_client_acme",
        name: "Acme Retail",
        slug: "acme-retail",
        domain: "acme.test",
        tier: "PRO",
        status: "ACTIVE",
        trialEndsAt: null,
        subscriptionEndsAt: "2027-09-22T09:34:14.636Z",
        settings: { retentionDays: 90 },
        branding: null,
        maxUsers: 25,
        maxWorkflows: 50,
        maxAdAccounts: 10,
        createdAt: "2026-01-15T12:00:00.000Z",
        updatedAt: "2026-11-20T08:00:00.000Z",
      },
      limits: { users: { current: 4, max: 25 }, workflows: { current: 5, max: 50 }, adAccounts: { current: 2, max: 10 } },
    },
  });

export const getMe = createRoute({
  method: "get",
  path: "/v1/me",
  tags: ["Me and tenants"],
  summary: "The caller: user, client and plan limits",
  description:
    "Any person with an access token. `client` and `limits` are null for a SUPER_ADMIN who names no `?clientId=`. " +
    "`users.current` counts users that are not INACTIVE.",
  security: [{ bearer: [] }],
  middleware: [guard("me.read")] as const,
  request: { query: TenantQuery },
  responses: {
    200: {
      description: "The caller.",
      content: { "application/json": { schema: dataOf(Me) } },
    },
    ...errorResponses(400, 401, 403, 404, 503),
  },
});
