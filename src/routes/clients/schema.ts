import { z } from "@hono/zod-openapi";
import { ClientStatusSchema, SubscriptionTierSchema } from "../../http/enums.js";
import { PageQuery, Timestamp, iso } from "../../http/schemas.js";
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

// Slugs name a tenant in URLs and subdomains: lowercase letters, digits and single hyphens.
const Slug = z
  .string()
  .min(2)
  .max(63)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Lowercase letters, digits and hyphens (not leading, trailing or doubled)")
  .openapi({ example: "acme-retail" });

const Domain = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "A lowercase host name such as acme.example")
  .openapi({ example: "acme.test" });

const Name = z.string().trim().min(1).max(200);
const PlanLimit = z.number().int().min(0).max(1_000_000);
const Instant = z.iso.datetime({ offset: true }).openapi({ example: "2027-01-31T00:00:00Z" });

/** Known settings are checked; other keys are kept as given (front-end preferences and the like). */
const settingsShape = {
  retentionDays: z.number().int().min(1).max(3650).openapi({ description: "Overrides the tier's execution-log retention (days)." }),
  executionTimeoutMinutes: z.number().int().positive().openapi({ description: "Executions RUNNING longer than this are marked TIMEOUT." }),
};

export const Settings = z
  .object({
    retentionDays: settingsShape.retentionDays.optional(),
    executionTimeoutMinutes: settingsShape.executionTimeoutMinutes.optional(),
  })
  .catchall(z.unknown())
  .openapi("ClientSettings", { example: { retentionDays: 90 } });

/** In a PATCH, a key set to null is removed; absent keys are kept. */
export const SettingsPatch = z
  .object({
    retentionDays: settingsShape.retentionDays.nullable().optional(),
    executionTimeoutMinutes: settingsShape.executionTimeoutMinutes.nullable().optional(),
  })
  .catchall(z.unknown())
  .openapi("ClientSettingsPatch", { example: { retentionDays: 30, executionTimeoutMinutes: null } });

const Branding = z.record(z.string(), z.unknown()).openapi({ example: { logoUrl: "https://acme.test/logo.svg", primaryColor: "#0f62fe" } });

export const CreateClient = z
  .object({
    name: Name,
    slug: Slug,
    tier: SubscriptionTierSchema.optional(),
    status: ClientStatusSchema.optional(),
    domain: Domain.optional(),
    settings: Settings.optional(),
    maxUsers: PlanLimit.optional(),
    maxWorkflows: PlanLimit.optional(),
    maxAdAccounts: PlanLimit.optional(),
    trialEndsAt: Instant.optional(),
  })
  .strict()
  .openapi("CreateClient", { example: { name: "Acme Retail", slug: "acme-retail", tier: "PRO", domain: "acme.test", maxUsers: 25 } });

/** Fields only a SUPER_ADMIN may change: the plan. */
export const PLAN_FIELDS = ["tier", "status", "maxUsers", "maxWorkflows", "maxAdAccounts", "trialEndsAt", "subscriptionEndsAt"] as const;

export const UpdateClient = z
  .object({
    name: Name.optional(),
    domain: Domain.nullable().optional(),
    settings: SettingsPatch.optional(),
    branding: Branding.nullable().optional(),
    tier: SubscriptionTierSchema.optional(),
    status: ClientStatusSchema.optional(),
    maxUsers: PlanLimit.optional(),
    maxWorkflows: PlanLimit.optional(),
    maxAdAccounts: PlanLimit.optional(),
    trialEndsAt: Instant.nullable().optional(),
    subscriptionEndsAt: Instant.nullable().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, "Name at least one field to change")
  .openapi("UpdateClient", { example: { name: "Acme Retail Group", settings: { retentionDays: 30 } } });

export const ClientListQuery = PageQuery.extend({
  status: ClientStatusSchema.optional().openapi({ param: { in: "query" } }),
  tier: SubscriptionTierSchema.optional().openapi({ param: { in: "query" } }),
});

const Count = z.object({ current: z.number().int(), max: z.number().int() });

export const ClientUsage = z
  .object({
    users: Count,
    workflows: Count,
    adAccounts: Count,
    executions: z.object({
      last30Days: z.number().int(),
      successful: z.number().int(),
      failed: z.number().int().openapi({ description: "FAILED and TIMEOUT." }),
    }),
    apiCalls: z.object({ last30Days: z.number().int().openapi({ description: "Meta API calls reported by executions." }) }),
  })
  .openapi("ClientUsage", {
    example: {
      users: { current: 4, max: 25 },
      workflows: { current: 5, max: 50 },
      adAccounts: { current: 2, max: 10 },
      executions: { last30Days: 412, successful: 398, failed: 14 },
      apiCalls: { last30Days: 18_240 },
    },
  });
