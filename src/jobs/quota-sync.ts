// Quota sync: copies the Meta quota limiter's state (Upstash) into ad_accounts so the resource API's
// reads show a truthful picture: apiCallsUsed (limit − points left), rateLimitResetAt (the next
// refill) and the status (RATE_LIMITED while Meta's signals block the account, back to ACTIVE after).
// Only ACTIVE and RATE_LIMITED accounts are touched: INACTIVE / DISCONNECTED / ERROR were set by
// someone for another reason. One SQL round trip to list, one Upstash request per account (bounded by
// the run's budget), one UPDATE … FROM json for the page (rows whose picture changed only).
import { sql } from "drizzle-orm";
import { crossTenantBatch } from "../db/tenant.js";
import { latestEnd } from "../quota/blocks.js";
import { Budget } from "./budget.js";
import { onlyTenant, rowsOf } from "./sql.js";
import type { Job } from "./types.js";

export const QUOTA_NOT_CONFIGURED = "not available: quota service not configured";

interface Account {
  id: string;
  clientId: string;
  apiCallsLimit: number;
  status: string;
}

interface Synced {
  id: string;
  used: number;
  /** The next refill; null while the bucket is full (nothing spent, nothing to wait for). */
  resetAt: string | null;
  blocked: boolean;
}

export const quotaSync: Job = async (db, clock, limits, run) => {
  const budget = new Budget(limits);
  const idle = { tenantsTouched: 0, rowsChanged: 0, batches: 0, stoppedOnBudget: false };
  if (!run.quota) return { available: false, reason: QUOTA_NOT_CONFIGURED, ...idle, ...budget.report() };
  const { store, windowSeconds } = run.quota;
  const now = clock().getTime();
  const audit = { reason: `job quota-sync${run.dryRun ? " (dry run)" : ""}`, requestId: run.requestId, actor: run.actor };

  const [listed] = await budget.spend(() =>
    crossTenantBatch(db, audit, [
      db.execute(sql`select a.id, a."clientId", a."apiCallsLimit", a.status from ad_accounts a
        where a.status in ('ACTIVE', 'RATE_LIMITED') ${onlyTenant(sql`a."clientId"`, run.clientId)}
        order by a.id limit ${limits.batchSize}::int`),
    ]),
  );
  const accounts = rowsOf<Account>(listed);
  const synced: Synced[] = [];
  let stoppedOnBudget = false;
  for (const a of accounts) {
    // Keep one round trip in reserve for the UPDATE.
    if (!budget.allows() || budget.report().subrequests >= limits.subrequestBudget - 1) {
      stoppedOnBudget = true;
      break;
    }
    const limit = Number(a.apiCallsLimit);
    const state = await budget.spend(() => store.state({ adAccountId: a.id, limit, windowSeconds }));
    const blockedUntil = latestEnd(state.ends);
    const used = Math.max(0, limit - state.remaining);
    synced.push({
      id: a.id,
      used,
      resetAt: used > 0 ? new Date(state.resetAt).toISOString().replace("Z", "") : null,
      blocked: blockedUntil !== null && blockedUntil > now,
    });
  }
  const clients = new Set(accounts.filter((a) => synced.some((s) => s.id === a.id)).map((a) => a.clientId));
  if (run.dryRun || synced.length === 0) {
    return {
      available: true,
      reason: null,
      tenantsTouched: clients.size,
      rowsChanged: synced.length,
      batches: 0,
      ...budget.report(),
      stoppedOnBudget,
    };
  }
  const [updated] = await budget.spend(() =>
    crossTenantBatch(db, audit, [
      db.execute(sql`update ad_accounts a set
          "apiCallsUsed" = v.used,
          "rateLimitResetAt" = v."resetAt",
          status = case when v.blocked then 'RATE_LIMITED'::"AdAccountStatus" else 'ACTIVE'::"AdAccountStatus" end,
          "lastSyncAt" = (now() at time zone 'utc'),
          "updatedAt" = (now() at time zone 'utc')
        from json_to_recordset(${JSON.stringify(synced)}::json) as v(id text, used int, "resetAt" timestamp(3), blocked boolean)
        where a.id = v.id and a.status in ('ACTIVE', 'RATE_LIMITED')
          -- Only rows whose picture changed: an idle account is not rewritten every quarter hour.
          and (a."apiCallsUsed" is distinct from v.used or a."rateLimitResetAt" is distinct from v."resetAt"
            or a.status <> (case when v.blocked then 'RATE_LIMITED' else 'ACTIVE' end)::"AdAccountStatus")
        returning a.id`),
    ]),
  );
  return {
    available: true,
    reason: null,
    tenantsTouched: clients.size,
    rowsChanged: rowsOf(updated).length,
    batches: 1,
    ...budget.report(),
    stoppedOnBudget,
  };
};
