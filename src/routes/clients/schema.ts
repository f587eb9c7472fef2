import { z } from "@hono/zod-openapi";
import { ClientStatusSchema, SubscriptionTierSchema } from "../../http/enums.js";
import { Timestamp, iso } from "../../http/schemas.js";
import type { Client } from "../../../drizzle/schema.js";

/** Shared by every response that embeds it (e.g. /v1/me). */
export const clientExample = {
  id: "demo_client_acme",
  name: "Acme Retail",
  slug: "acme-retail",
  domain: "acme.test",
  tier: "PRO",
  status: "ACTIVE",
  trialEndsAt: null,
  subscriptionEndsAt: "2027-06-30T00:00:00.000Z",
  settings: { retentionDays: 90 },
  branding: null,
  maxUsers: 25,
  maxWorkflows: 50,
  maxAdAccounts: 10,
  createdAt: "2026-01-15T12:00:00.000Z",
  updatedAt: "2026-11-20T08:00:00.000Z",
} as const;

export const ClientSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    domain: z.string().nullable(),
    tier: SubscriptionTierSchema,
    status: ClientStatusSchema,
    trialEndsAt: Timestamp.nullable(),
    subscriptionEndsAt: Timestamp.nullable(),
    settings: z.record(z.string(), z.unknown()),
    branding: z.record(z.string(), z.unknown()).nullable(),
    maxUsers: z.number().int(),
    maxWorkflows: z.number().int(),
    maxAdAccounts: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Client", {
    example: clientExample,
  });

export function toClient(row: Client): z.infer<typeof ClientSchema> {
  return ClientSchema.parse({
    id: row.id,
    name: row.name,
    slug: row.slug,
    domain: row.domain,
    tier: row.tier,
    status: row.status,
    trialEndsAt: iso(row.trialEndsAt),
    subscriptionEndsAt: iso(row.subscriptionEndsAt),
    settings: row.settings ?? {},
    branding: row.branding ?? null,
    maxUsers: row.maxUsers,
    maxWorkflows: row.maxWorkflows,
    maxAdAccounts: row.maxAdAccounts,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  });
}
