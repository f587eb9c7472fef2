import { z } from "@hono/zod-openapi";
import type { AdAccount } from "../../../drizzle/schema.js";
import { AdAccountStatusSchema } from "../../http/enums.js";
import { Timestamp, iso } from "../../http/schemas.js";

// ISO 4217 codes as the runtime's ICU knows them (workerd and Node ship full ICU).
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));

/** An IANA zone name: Intl refuses unknown zones with a RangeError; offsets ("+05:00") are not zones. */
function isIanaZone(zone: string): boolean {
  if (!/^[A-Za-z]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const MetaAdAccountId = z
  .string()
  .regex(/^act_\d{1,30}$/, "Must be act_ followed by Meta's numeric ad account id, e.g. act_123456789.")
  .openapi({ example: "act_123456789" });
const Name = z.string().trim().min(1).max(200);
const AccessToken = z
  .string()
  .min(1)
  .max(4096)
  .refine((v) => v.trim() === v && !/\s/.test(v), "Must not contain whitespace.")
  .openapi({
    description: "Meta access token. Stored encrypted; only the credentials endpoint returns it.",
    example: "EAAGm0PX4ZCpsBA...",
  });
const TokenExpiresAt = z.iso.datetime({ offset: true }).openapi({ example: "2027-01-25T00:00:00.000Z" });
const BusinessId = z.string().trim().min(1).max(100).openapi({ example: "1234567890" });
const Currency = z
  .string()
  .refine((v) => CURRENCIES.has(v), "Must be an ISO 4217 currency code in upper case, e.g. USD, EUR, MXN.")
  .openapi({ example: "USD" });
const Timezone = z
  .string()
  .max(100)
  .refine(isIanaZone, "Must be an IANA time zone, e.g. America/Mexico_City or Europe/Madrid.")
  .openapi({ example: "America/Mexico_City" });
const ApiCallsLimit = z.number().int().positive().max(1_000_000).openapi({ example: 200 });

const example = {
  id: "cm3xa1b2c0000k3f9q2mzadac",
  clientId: "demo_client_acme",
  metaAdAccountId: "act_123456789",
  name: "Acme Retail — Main",
  businessId: "1234567890",
  currency: "USD",
  timezone: "America/Mexico_City",
  status: "ACTIVE",
  hasAccessToken: true,
  tokenExpiresAt: "2027-01-25T00:00:00.000Z",
  apiCallsUsed: 12,
  apiCallsLimit: 200,
  rateLimitResetAt: null,
  lastSyncAt: "2026-11-26T08:00:00.000Z",
  createdAt: "2026-11-01T09:30:00.000Z",
  updatedAt: "2026-11-26T08:00:00.000Z",
} as const;

export const AdAccountSchema = z
  .object({
    id: z.string(),
    clientId: z.string(),
    metaAdAccountId: z.string(),
    name: z.string(),
    businessId: z.string().nullable(),
    currency: z.string(),
    timezone: z.string(),
    status: AdAccountStatusSchema,
    hasAccessToken: z.boolean().openapi({ description: "Whether a token is stored. The token itself is never listed." }),
    tokenExpiresAt: Timestamp.nullable(),
    apiCallsUsed: z.number().int(),
    apiCallsLimit: z.number().int(),
    rateLimitResetAt: Timestamp.nullable(),
    lastSyncAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("AdAccount", { example });

export const CreateAdAccount = z
  .object({
    metaAdAccountId: MetaAdAccountId,
    name: Name,
    accessToken: AccessToken,
    tokenExpiresAt: TokenExpiresAt.optional(),
    businessId: BusinessId.optional(),
    currency: Currency.optional().openapi({ description: "Default USD." }),
    timezone: Timezone.optional().openapi({ description: "Default America/Mexico_City." }),
    apiCallsLimit: ApiCallsLimit.optional().openapi({ description: "Meta calls per quota window; default META_API_RATE_LIMIT." }),
  })
  .strict()
  .openapi("CreateAdAccount", {
    example: {
      metaAdAccountId: "act_123456789",
      name: "Acme Retail — Main",
      accessToken: "EAAGm0PX4ZCpsBA...",
      tokenExpiresAt: "2027-01-25T00:00:00.000Z",
      currency: "USD",
      timezone: "America/Mexico_City",
    },
  });

export const UpdateAdAccount = z
  .object({
    name: Name.optional(),
    accessToken: AccessToken.optional(),
    tokenExpiresAt: TokenExpiresAt.nullable().optional(),
    businessId: BusinessId.nullable().optional(),
    currency: Currency.optional(),
    timezone: Timezone.optional(),
    apiCallsLimit: ApiCallsLimit.optional(),
    status: z
      .enum(["ACTIVE", "INACTIVE"], { error: "Must be ACTIVE or INACTIVE (case-sensitive); the other statuses are set by the platform." })
      .optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, "Give at least one field to change.")
  .openapi("UpdateAdAccount", { example: { accessToken: "EAAGm0PX4ZCpsBB...", tokenExpiresAt: "2027-03-26T00:00:00.000Z" } });

export const AdAccountListQuery = z.object({
  status: AdAccountStatusSchema.optional().openapi({ param: { in: "query" } }),
});

export const AdAccountCredentials = z
  .object({
    metaAdAccountId: z.string(),
    accessToken: z.string(),
    tokenExpiresAt: Timestamp.nullable(),
  })
  .openapi("AdAccountCredentials", {
    example: { metaAdAccountId: "act_123456789", accessToken: "EAAGm0PX4ZCpsBA...", tokenExpiresAt: "2027-01-25T00:00:00.000Z" },
  });

/** A row as the API reads it: every column but the token, and whether one is stored. */
export type AdAccountRow = Omit<AdAccount, "accessToken"> & { hasAccessToken: boolean };

export function toAdAccount(row: AdAccountRow): z.infer<typeof AdAccountSchema> {
  return AdAccountSchema.parse({
    id: row.id,
    clientId: row.clientId,
    metaAdAccountId: row.metaAdAccountId,
    name: row.name,
    businessId: row.businessId,
    currency: row.currency,
    timezone: row.timezone,
    status: row.status,
    hasAccessToken: row.hasAccessToken,
    tokenExpiresAt: iso(row.tokenExpiresAt),
    apiCallsUsed: row.apiCallsUsed,
    apiCallsLimit: row.apiCallsLimit,
    rateLimitResetAt: iso(row.rateLimitResetAt),
    lastSyncAt: iso(row.lastSyncAt),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  });
}
