// Stuck executions: an execution still RUNNING longer than its tenant's limit
// (`client.settings.executionTimeoutMinutes`, a whole number 1–525600, default 360) never reported
// back; it becomes TIMEOUT, with completedAt = now, its duration, and an error saying why (any
// error it already carried is kept under `previous`). Bounded batches within the budget, like retention.
import { sql, type SQL } from "drizzle-orm";
import { crossTenantBatch } from "../db/tenant.js";
import { Budget, drain, drainedOutcome, type TenantRows } from "./budget.js";
import { onlyTenant, rowsOf, utcParam } from "./sql.js";
import type { Job } from "./types.js";

export const DEFAULT_EXECUTION_TIMEOUT_MINUTES = 360;

const timeoutMinutes = sql`coalesce((case
  when jsonb_typeof(c.settings -> 'executionTimeoutMinutes') = 'number' then (case
    when (c.settings ->> 'executionTimeoutMinutes')::numeric between 1 and 525600
     and (c.settings ->> 'executionTimeoutMinutes')::numeric = trunc((c.settings ->> 'executionTimeoutMinutes')::numeric)
    then ((c.settings ->> 'executionTimeoutMinutes')::numeric)::int end) end), ${DEFAULT_EXECUTION_TIMEOUT_MINUTES}::int)`;

/** RUNNING executions past their tenant's limit (up to `limit` of them). */
function stuck(now: Date, clientId: string | null, limit: number | null): SQL {
  return sql`stuck as (
    select e.id, l.minutes from (
      select c.id, ${timeoutMinutes} as minutes from clients c where true ${onlyTenant(sql`c.id`, clientId)}
    ) l
    join execution_logs e on e."clientId" = l.id
    where e.status = 'RUNNING' and e."startedAt" < ${utcParam(now)} - make_interval(mins => l.minutes)
    ${limit === null ? sql`` : sql`limit ${limit}::int`}
  )`;
}

export const stuckExecutions: Job = async (db, clock, limits, run) => {
  const now = clock();
  const budget = new Budget(limits);
  const audit = { reason: `job stuck-executions${run.dryRun ? " (dry run)" : ""}`, requestId: run.requestId, actor: run.actor };

  if (run.dryRun) {
    const [result] = await budget.spend(() =>
      crossTenantBatch(db, audit, [
        db.execute(sql`with ${stuck(now, run.clientId, null)}
          select e."clientId", count(*)::int as rows from stuck s join execution_logs e on e.id = s.id group by e."clientId"`),
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

  const at = utcParam(now);
  const drained = await drain(budget, limits.batchSize, async () => {
    const [result] = await crossTenantBatch(db, audit, [
      db.execute(sql`with ${stuck(now, run.clientId, limits.batchSize)},
        updated as (
          update execution_logs e set
            status = 'TIMEOUT',
            "completedAt" = ${at},
            duration = least(greatest(extract(epoch from (${at} - e."startedAt")) * 1000, 0), 2147483647)::int,
            error = jsonb_build_object(
              'code', 'TIMEOUT',
              'message', format('Marked TIMEOUT by the stuck-executions job: still RUNNING %s minutes after it started (limit %s minutes).',
                                floor(extract(epoch from (${at} - e."startedAt")) / 60)::bigint, s.minutes),
              'limitMinutes', s.minutes
            ) || (case when e.error is null then '{}'::jsonb else jsonb_build_object('previous', e.error) end)
          from stuck s
          where e.id = s.id and e.status = 'RUNNING'
          returning e."clientId"
        )
        select "clientId", count(*)::int as rows from updated group by "clientId"`),
    ]);
    return rowsOf<TenantRows>(result);
  });
  return drainedOutcome(drained, budget);
};
