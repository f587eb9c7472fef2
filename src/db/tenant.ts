// Row-level security is the second wall behind the `"clientId"` filters: every tenant table has a
// policy comparing its client id with the transaction-local setting `app.client_id`. On neon-http a
// setting only lives inside a batch (one transaction), so every tenant query travels in a batch
// that starts by setting it. Cross-tenant work (SUPER_ADMIN listings, webhooks from Authorizer,
// scheduled jobs) is an explicit mode with a reason that is written to the audit log — never a role
// that bypasses the policies.
import { sql, type SQL } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import { writeLog } from "../lib/log.js";
import type { Database } from "./client.js";

type Statements = readonly [BatchItem<"pg">, ...BatchItem<"pg">[]];

export interface TenantScope {
  /** The tenant whose rows are visible; null = none (e.g. a SUPER_ADMIN who picked no client). */
  clientId: string | null;
  /** The person making the request: their own users row stays visible whatever the tenant. */
  userId?: string | null;
}

export function tenantContext(scope: TenantScope): SQL {
  // Empty string, not NULL: the policies compare with it, and '' matches no row.
  return sql`select set_config('app.client_id', ${scope.clientId ?? ""}, true), set_config('app.user_id', ${scope.userId ?? ""}, true)`;
}

/** Runs statements as one transaction inside the tenant's row-level-security context. */
export async function tenantBatch<const T extends Statements>(
  db: Database,
  scope: TenantScope,
  statements: T,
): Promise<BatchResponse<T>> {
  const [, ...results] = await db.batch([db.execute(tenantContext(scope)), ...statements] as unknown as Statements);
  return results as unknown as BatchResponse<T>;
}

/**
 * Runs statements across tenants. Every use names why, and each run is written to the audit log
 * with the request id, so cross-tenant access is visible and reviewable.
 */
export async function crossTenantBatch<const T extends Statements>(
  db: Database,
  audit: { reason: string; requestId: string; actor: string },
  statements: T,
): Promise<BatchResponse<T>> {
  writeLog("info", "cross_tenant", audit);
  const [, ...results] = await db.batch([
    db.execute(sql`select set_config('app.cross_tenant', 'on', true)`),
    ...statements,
  ] as unknown as Statements);
  return results as unknown as BatchResponse<T>;
}
