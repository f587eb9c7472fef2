import { z } from "@hono/zod-openapi";
import { UserRoleSchema, UserStatusSchema } from "../../http/enums.js";
import { Timestamp, iso } from "../../http/schemas.js";
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
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    lastLoginAt: iso(row.lastLoginAt),
  });
}
