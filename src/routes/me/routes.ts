import { createRoute, z } from "@hono/zod-openapi";
import { guard } from "../../auth/guard.js";
import { errorResponses } from "../../http/openapi.js";
import { TenantQuery, dataOf } from "../../http/schemas.js";
import { ClientSchema, clientExample } from "../clients/schema.js";
import { UserSchema, userExample } from "../users/schema.js";

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
      user: userExample,
      client: clientExample,
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
