// Retention: execution logs older than their tenant's retention are deleted.
//
// - Retention per tier (FREE 7 days, BASIC 30, PRO 90, ENTERPRISE 365), overridden by
//   `client.settings.retentionDays` when it is a whole number 1–3650 (anything else is ignored).
// - Age is measured from `startedAt`; a row is expired when startedAt < now − retention (strictly:
//   a row exactly at the cutoff is kept, and goes on the next run).
// - Only terminal statuses: a RUNNING row is never deleted, however old (stuck-executions ends it).
// - At most `batchSize` (≤ 1,000) rows per statement, repeated while a statement comes back full,
//   within the run's budget; each statement commits on its own, so the next run resumes.
// - Reports keep existing: reports."executionLogId" is ON DELETE SET NULL.
// - Guard: a cutoff must be in the past, both of the job's clock and of the database's own time, so
//   neither a wrong clock nor a bad setting can delete a row that has not expired.
//
// Each statement finds its victims per tenant through execution_logs_clientId_startedAt_id_idx
// (one index range scan per tenant, stopping at the batch size), not by scanning the table.
import { sql, type SQL } from "drizzle-orm";
import { crossTenantBatch } from "../db/tenant.js";
import { Budget, drain, drainedOutcome, type TenantRows } from "./budget.js";
import { onlyTenant, rowsOf, utcParam } from "./sql.js";
import type { Job } from "./types.js";

export const TIER_RETENTION_DAYS = { FREE: 7, BASIC: 30, PRO: 90, ENTERPRISE: 365 } as const;

/** The smallest retention anyone can have (settings.retentionDays is 1–3650). */
const MIN_RETENTION_DAYS = 1;
const DAY_MS = 86_400_000;

/** The cutoff of a retention, refused unless it is in the past of `now` and of the real time. */
export function retentionCutoff(now: Date, days: number): Date {
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS)
    throw new Error(`retention must be a whole number of days ≥ ${MIN_RETENTION_DAYS}, got ${days}`);
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  if (!(cutoff.getTime() < now.getTime()) || cutoff.getTime() >= Date.now())
    throw new Error(`retention cutoff ${cutoff.toISOString()} is not in the past`);
  return cutoff;
}

/** Days of retention of a client row `c`: the valid override, else the tier's. CASE keeps the casts safe. */
const retentionDays = sql`(case
  when jsonb_typeof(c.settings -> 'retentionDays') = 'number' then (case
    when (c.settings ->> 'retentionDays')::numeric between 1 and 3650
     and (c.settings ->> 'retentionDays')::numeric = trunc((c.settings ->> 'retentionDays')::numeric)
    then ((c.settings ->> 'retentionDays')::numeric)::int end) end)`;
const tierDays = sql`(case c.tier when 'FREE' then ${TIER_RETENTION_DAYS.FREE}::int when 'BASIC' then ${TIER_RETENTION_DAYS.BASIC}::int when 'PRO' then ${TIER_RETENTION_DAYS.PRO}::int else ${TIER_RETENTION_DAYS.ENTERPRISE}::int end)`;

/** Every tenant (or the one asked for) with its cutoff, guarded to be in the past. */
function tenantCutoffs(now: Date, clientId: string | null): SQL {
  return sql`tenants as (
    select c.id, ${utcParam(now)} - make_interval(days => coalesce(${retentionDays}, ${tierDays})::int) as cutoff
    from clients c
    where true ${onlyTenant(sql`c.id`, clientId)}
  ), cutoffs as (
    select id, cutoff from tenants where cutoff < ${utcParam(now)} and cutoff < (now() at time zone 'utc')
  )`;
}

export const retention: Job = async (db, clock, limits, run) => {
  const now = clock();
  retentionCutoff(now, MIN_RETENTION_DAYS);
  const budget = new Budget(limits);
  const audit = { reason: `job retention${run.dryRun ? " (dry run)" : ""}`, requestId: run.requestId, actor: run.actor };

  if (run.dryRun) {
    const [result] = await budget.spend(() =>
      crossTenantBatch(db, audit, [
        db.execute(sql`with ${tenantCutoffs(now, run.clientId)}
          select t.id as "clientId", count(*)::int as rows
          from cutoffs t join execution_logs e on e."clientId" = t.id and e."startedAt" < t.cutoff and e.status <> 'RUNNING'
          group by t.id`),
      ]),
    );
    const counts = rowsOf<TenantRows>(result);
    return {
      available: true,
      reason: null,
      tenantsTouched: counts.length,
      rowsChanged: counts.reduce((n, c) => n + c.rows, 0),
      batches: 0,
      ...budget.report(),
      stoppedOnBudget: false,
    };
  }

  const drained = await drain(budget, limits.batchSize, async () => {
    const [result] = await crossTenantBatch(db, audit, [
      db.execute(sql`with ${tenantCutoffs(now, run.clientId)},
        victims as (
          select v.id from cutoffs t cross join lateral (
            select e.id from execution_logs e
            where e."clientId" = t.id and e."startedAt" < t.cutoff and e.status <> 'RUNNING'
            limit ${limits.batchSize}::int
          ) v
          limit ${limits.batchSize}::int
        ), deleted as (
          delete from execution_logs e using victims v where e.id = v.id returning e."clientId"
        )
        select "clientId", count(*)::int as rows from deleted group by "clientId"`),
    ]);
    return rowsOf<TenantRows>(result);
  });
  return drainedOutcome(drained, budget);
};
