// Expiring Meta tokens: an ad account whose tokenExpiresAt has passed (≤ now) becomes DISCONNECTED
// (n8n would only get errors from Meta with it); accounts whose token expires within 7 days are
// listed in the result and the run's log line, so someone reconnects them in time.
// The lists name accounts by id and metaAdAccountId, never anything of the token.
import { sql, type SQL } from "drizzle-orm";
import { crossTenantBatch } from "../db/tenant.js";
import { Budget, drain, drainedOutcome } from "./budget.js";
import { isoOf, onlyTenant, rowsOf, utcParam } from "./sql.js";
import type { ExpiringAccount, Job } from "./types.js";

export const EXPIRY_WARNING_DAYS = 7;
/** The most accounts a result lists as expiring (the log line and the response stay bounded). */
const MAX_LISTED = 1000;

const accountFields = sql`a.id, a."metaAdAccountId", a."clientId", ${isoOf(sql`a."tokenExpiresAt"`)} as "tokenExpiresAt"`;

function expired(now: Date, clientId: string | null): SQL {
  return sql`a."tokenExpiresAt" <= ${utcParam(now)} and a.status <> 'DISCONNECTED' ${onlyTenant(sql`a."clientId"`, clientId)}`;
}

export const tokenExpiry: Job = async (db, clock, limits, run) => {
  const now = clock();
  const at = utcParam(now);
  const budget = new Budget(limits);
  const audit = { reason: `job token-expiry${run.dryRun ? " (dry run)" : ""}`, requestId: run.requestId, actor: run.actor };

  const listExpiring = db.execute(sql`select ${accountFields} from ad_accounts a
    where a."tokenExpiresAt" > ${at} and a."tokenExpiresAt" <= ${at} + make_interval(days => ${EXPIRY_WARNING_DAYS}::int)
      and a.status <> 'DISCONNECTED' ${onlyTenant(sql`a."clientId"`, run.clientId)}
    order by a."tokenExpiresAt", a.id limit ${MAX_LISTED}::int`);

  if (run.dryRun) {
    const [expiring, wouldDisconnect] = await budget.spend(() =>
      crossTenantBatch(db, audit, [
        listExpiring,
        db.execute(sql`select ${accountFields} from ad_accounts a where ${expired(now, run.clientId)} order by a.id`),
      ]),
    );
    const disconnected = rowsOf<ExpiringAccount>(wouldDisconnect);
    return {
      available: true,
      reason: null,
      tenantsTouched: new Set(disconnected.map((a) => a.clientId)).size,
      rowsChanged: disconnected.length,
      batches: 0,
      ...budget.report(),
      stoppedOnBudget: false,
      disconnected,
      expiring: rowsOf<ExpiringAccount>(expiring),
    };
  }

  const [expiringRows] = await budget.spend(() => crossTenantBatch(db, audit, [listExpiring]));
  const disconnected: ExpiringAccount[] = [];
  const drained = await drain(budget, limits.batchSize, async () => {
    const [result] = await crossTenantBatch(db, audit, [
      db.execute(sql`with victims as (
          select a.id from ad_accounts a where ${expired(now, run.clientId)} limit ${limits.batchSize}::int
        )
        update ad_accounts a set status = 'DISCONNECTED', "updatedAt" = ${at}
        from victims v where a.id = v.id
        returning ${accountFields}`),
    ]);
    const rows = rowsOf<ExpiringAccount>(result);
    disconnected.push(...rows);
    return rows.map((r) => ({ clientId: r.clientId, rows: 1 }));
  });
  return {
    ...drainedOutcome(drained, budget),
    disconnected,
    expiring: rowsOf<ExpiringAccount>(expiringRows),
  };
};
