import { z } from "@hono/zod-openapi";
import { Timestamp } from "../../http/schemas.js";
import { USE_CASES } from "../../quota/meta.js";

export const AdAccountIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "demo_adacct_acme_main" }),
});

export const AcquireBody = z
  .object({
    cost: z
      .number()
      .int("Must be a whole number")
      .min(1)
      .max(100)
      .default(1)
      .openapi({ description: "Points this Meta call scores: 1 for a read, 3 for a write.", example: 1 }),
    useCase: z.enum(USE_CASES).default("ads_management").openapi({ description: "Meta's business use case of the call." }),
  })
  .strict()
  .openapi("QuotaAcquire", { example: { cost: 3, useCase: "ads_management" } });

export const Granted = z
  .object({
    granted: z.literal(true),
    remaining: z.number().int(),
    limit: z.number().int(),
    resetAt: Timestamp.openapi({ description: "When the budget is next refilled in full." }),
  })
  .openapi("QuotaGrant", { example: { granted: true, remaining: 197, limit: 200, resetAt: "2026-11-26T10:30:00.000Z" } });

const headerString = z.string().max(16_384);

export const UsageBody = z
  .object({
    headers: z
      .object({
        "x-business-use-case-usage": headerString.optional(),
        "x-ad-account-usage": headerString.optional(),
        "x-app-usage": headerString.optional(),
        "x-fb-ads-insights-throttle": headerString.optional(),
      })
      .strict()
      .optional()
      .openapi({ description: "Meta's usage headers, as the JSON strings Meta sent (names in lower case)." }),
    error: z
      .object({ code: z.number().int(), error_subcode: z.number().int().optional() })
      .passthrough()
      .optional()
      .openapi({ description: "`error.code` / `error.error_subcode` of Meta's error body, if the call failed." }),
  })
  .strict()
  .openapi("QuotaUsageReport", {
    example: {
      headers: {
        "x-ad-account-usage": '{"acc_id_util_pct":93.5,"reset_time_duration":120,"ads_api_access_tier":"standard_access"}',
        "x-business-use-case-usage":
          '{"1234567890":[{"type":"ads_insights","call_count":28,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":0}]}',
      },
    },
  });

export const QuotaState = z
  .object({
    limit: z.number().int(),
    remaining: z.number().int(),
    resetAt: Timestamp,
    blockedUntil: Timestamp.nullable().openapi({
      description: "End of the latest block on the account (any use case), if one is running.",
    }),
    utilization: z.number().nullable().openapi({ description: "Highest utilization percentage Meta last reported." }),
  })
  .openapi("QuotaState", {
    example: { limit: 200, remaining: 180, resetAt: "2026-11-26T10:30:00.000Z", blockedUntil: null, utilization: 42 },
  });

export const UsageResult = QuotaState.extend({
  blocks: z
    .array(z.object({ scope: z.string(), until: Timestamp, reason: z.string() }))
    .openapi({ description: "Blocks this report started or extended." }),
}).openapi("QuotaUsageResult");
