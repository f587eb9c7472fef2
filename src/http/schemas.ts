// Schemas shared by many routes: timestamps, pagination, list envelopes.
import { z } from "@hono/zod-openapi";

export const Timestamp = z.iso.datetime().openapi({ example: "2026-11-26T09:30:00.000Z" });

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(25)
    .openapi({ param: { in: "query" }, example: 25 }),
  cursor: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .openapi({ param: { in: "query" }, description: "nextCursor of the previous page" }),
});

/** Only for SUPER_ADMIN: which tenant the request acts on. */
export const TenantQuery = z.object({
  clientId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({
      param: { in: "query" },
      description: "SUPER_ADMIN only: the client (tenant) to act on. Others may omit it or pass their own.",
    }),
});

export const dataOf = <T extends z.ZodTypeAny>(schema: T) => z.object({ data: schema });

export const listOf = <T extends z.ZodTypeAny>(schema: T) =>
  z.object({ data: z.array(schema), nextCursor: z.string().nullable().openapi({ example: null }) });

export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { in: "path" }, example: "cm3x9k2a0000abcd1234efgh" }),
});
