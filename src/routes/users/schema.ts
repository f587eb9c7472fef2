import { z } from "@hono/zod-openapi";
import { UserRoleSchema, UserStatusSchema } from "../../http/enums.js";
import { isInvitation, INVITED_AUTHORIZER_PREFIX } from "../../auth/invitations.js";
import { PageQuery, Timestamp, iso } from "../../http/schemas.js";
import type { User } from "../../../drizzle/schema.js";

/** Shared by every response that embeds it (e.g. /v1/me). */
export const userExample = {
  id: "cm3x9k2a0000abcd1234efgh",
  email: "admin@acme.test",
  firstName: "Ada",
  lastName: "Admin",
  role: "ADMIN",
  status: "ACTIVE",
  clientId: "demo_client_acme",
  invited: false,
  createdAt: "2026-11-01T10:00:00.000Z",
  updatedAt: "2026-11-20T08:00:00.000Z",
  lastLoginAt: "2026-11-26T07:45:12.000Z",
} as const;

export const UserSchema = z
  .object({
    id: z.string(),
    // Not z.email(): rows written by other tools must still be readable, whatever they hold.
    email: z.string().openapi({ format: "email" }),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    role: UserRoleSchema,
    status: UserStatusSchema,
    clientId: z.string().nullable(),
    invited: z
      .boolean()
      .openapi({ description: "Invited and not signed up yet: linked when Authorizer reports a verified signup of this email." }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    lastLoginAt: Timestamp.nullable(),
  })
  .openapi("User", {
    example: userExample,
  });

/** Response shape of a users row: parsed, so a column added later never leaks by accident. */
export function toUser(row: User): z.infer<typeof UserSchema> {
  return UserSchema.parse({
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    role: row.role,
    status: row.status,
    clientId: row.clientId,
    invited: isInvitation(row.authorizerId),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    lastLoginAt: iso(row.lastLoginAt),
  });
}

const Name = z.string().trim().min(1).max(100);

export const CreateUser = z
  .object({
    email: z.email().max(254).openapi({ description: "Stored lowercase; unique across the platform." }),
    role: UserRoleSchema,
    firstName: Name.optional(),
    lastName: Name.optional(),
    authorizerId: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .refine((v) => !v.startsWith(INVITED_AUTHORIZER_PREFIX), `Must not start with ${INVITED_AUTHORIZER_PREFIX}`)
      .optional()
      .openapi({ description: "The person's Authorizer id, if they already have an account: the user is then ACTIVE at once." }),
  })
  .strict()
  .openapi("CreateUser", { example: { email: "new.analyst@acme.test", role: "USER", firstName: "Nia", lastName: "Analyst" } });

export const UpdateUser = z
  .object({
    firstName: Name.nullable().optional(),
    lastName: Name.nullable().optional(),
    role: UserRoleSchema.optional(),
    status: z.enum(["ACTIVE", "SUSPENDED"], { error: "Must be one of ACTIVE, SUSPENDED (case-sensitive); DELETE deactivates." }).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, "Name at least one field to change")
  .openapi("UpdateUser", { example: { role: "VIEWER", status: "SUSPENDED" } });

export const UserListQuery = PageQuery.extend({
  role: UserRoleSchema.optional().openapi({ param: { in: "query" } }),
  status: UserStatusSchema.optional().openapi({ param: { in: "query" } }),
});
