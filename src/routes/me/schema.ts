import { z } from "@hono/zod-openapi";
import { ClientSchema, clientExample } from "../clients/schema.js";
import { UserSchema, userExample } from "../users/schema.js";

const Usage = z.object({ current: z.number().int(), max: z.number().int() });

export const Limits = z.object({ users: Usage, workflows: Usage, adAccounts: Usage }).openapi("Limits", {
  example: { users: { current: 3, max: 25 }, workflows: { current: 4, max: 50 }, adAccounts: { current: 2, max: 10 } },
});

export const Me = z
  .object({
    user: UserSchema,
    client: ClientSchema.nullable(),
    limits: Limits.nullable(),
  })
  .openapi("Me", {
    example: {
      user: userExample,
      client: clientExample,
      limits: { users: { current: 4, max: 25 }, workflows: { current: 5, max: 50 }, adAccounts: { current: 2, max: 10 } },
    },
  });
