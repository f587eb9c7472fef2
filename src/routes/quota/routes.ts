import { securedRoute } from "../../http/route.js";
import { dataOf } from "../../http/schemas.js";
import { AcquireBody, AdAccountIdParam, Granted, QuotaState, UsageBody, UsageResult } from "./schema.js";

const rateLimitHeaders = {
  "RateLimit-Limit": { description: "Points per window.", schema: { type: "integer" as const } },
  "RateLimit-Remaining": { description: "Points left.", schema: { type: "integer" as const } },
  "RateLimit-Reset": { description: "Seconds until the budget is refilled.", schema: { type: "integer" as const } },
};

export const acquireQuota = securedRoute("quota.acquire", {
  method: "post",
  path: "/v1/ad-accounts/{id}/quota/acquire",
  tags: ["Quota"],
  summary: "Ask for Meta API quota before a Meta call (one Upstash round trip; none while the account is blocked)",
  description:
    "Takes `cost` points from the ad account's budget (`apiCallsLimit` per META_API_RATE_WINDOW, shared by every use case). 429 `quota_exceeded` with Retry-After when the points are not there (nothing is taken) or while Meta's signals block the account or the use case.",
  request: {
    params: AdAccountIdParam,
    body: { required: false, content: { "application/json": { schema: AcquireBody } } },
  },
  responses: {
    200: {
      description: "Granted.",
      headers: rateLimitHeaders,
      content: {
        "application/json": {
          schema: dataOf(Granted),
          example: { data: { granted: true, remaining: 197, limit: 200, resetAt: "2026-11-26T10:30:00.000Z" } },
        },
      },
    },
  },
  errors: [404, 429],
});

export const reportUsage = securedRoute("quota.usage", {
  method: "post",
  path: "/v1/ad-accounts/{id}/quota/usage",
  tags: ["Quota"],
  summary: "Report what Meta answered (usage headers, throttle error); high utilization or a throttle blocks the account",
  request: {
    params: AdAccountIdParam,
    body: { required: true, content: { "application/json": { schema: UsageBody } } },
  },
  responses: {
    200: {
      description: "The account's quota state after the report.",
      content: {
        "application/json": {
          schema: dataOf(UsageResult),
          example: {
            data: {
              limit: 200,
              remaining: 180,
              resetAt: "2026-11-26T10:30:00.000Z",
              blockedUntil: "2026-11-26T09:32:00.000Z",
              utilization: 93.5,
              blocks: [{ scope: "account", until: "2026-11-26T09:32:00.000Z", reason: "x-ad-account-usage 93.5%" }],
            },
          },
        },
      },
    },
  },
  errors: [404],
});

export const getQuota = securedRoute("quota.read", {
  method: "get",
  path: "/v1/ad-accounts/{id}/quota",
  tags: ["Quota"],
  summary: "The ad account's quota: budget left, next refill, block and Meta utilization",
  request: { params: AdAccountIdParam },
  responses: {
    200: {
      description: "The quota state.",
      content: {
        "application/json": {
          schema: dataOf(QuotaState),
          example: { data: { limit: 200, remaining: 180, resetAt: "2026-11-26T10:30:00.000Z", blockedUntil: null, utilization: 42 } },
        },
      },
    },
  },
  errors: [404],
});
