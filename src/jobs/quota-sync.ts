// Quota sync: copies the Meta quota limiter's counters and blocks (Upstash) into ad_accounts
// (apiCallsUsed, rateLimitResetAt, the RATE_LIMITED status). The quota service (src/quota/) is
// built on another branch; until it is merged this job is registered but does nothing, and says so.
import type { Job } from "./types.js";

export const QUOTA_NOT_CONFIGURED = "not available: quota service not configured";
export const QUOTA_NOT_BUILT = "not available: the quota service is not part of this build yet";

export const quotaSync: Job = async (_db, _clock, _limits, run) => ({
  available: false,
  reason: run.quotaConfigured ? QUOTA_NOT_BUILT : QUOTA_NOT_CONFIGURED,
  tenantsTouched: 0,
  rowsChanged: 0,
  batches: 0,
  subrequests: 0,
  slowestRoundTripMs: 0,
  stoppedOnBudget: false,
});
