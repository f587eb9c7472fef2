// Row-level security is the second wall behind the `"clientId"` filters, and it holds even against
// someone who runs SQL as the application role (see README "Security model"):
//
// - Tenant batches (`tenantBatch`, application role): every tenant table's policy compares its
//   client id with `app_claimed_client()`, which returns `app.client_id` only when the batch also
//   carries a valid `app.tenant_claim` signed with TENANT_CLAIM_SECRET (src/db/claim.ts); settings
//   made without one show no rows. On neon-http a setting only lives inside a batch (one
//   transaction), so every tenant query travels in a batch that starts by setting them.
// - Cross-tenant work (Authorizer webhooks, SUPER_ADMIN listings, scheduled jobs) runs on a second,
//   separately configured role (CROSS_TENANT_DATABASE_URL, group `automation_cross_tenant`), through
//   `crossTenantBatch` only, with a reason written to the audit log. No setting opens that door.
//
// Both pin the batch's TimeZone to UTC: the seed's timestamp(3) columns hold UTC without a zone, and
// CURRENT_TIMESTAMP (column defaults included) converts to the session's zone when stored there.
import { sql, type SQL } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import { writeLog } from "../lib/log.js";
import { isCrossTenant, signTenantClaim, tenantClaimSecretOf } from "./claim.js";
import type { Database } from "./client.js";

type Statements = readonly [BatchItem<"pg">, ...BatchItem<"pg">[]];

export interface TenantScope {
  /** The tenant whose rows are visible; null = none (e.g. a SUPER_ADMIN who picked no client). */
  clientId: string | null;
  /** The person making the request: their own users row stays visible whatever the tenant. */
  userId?: string | null;
}

/** The batch's first statement: UTC, the tenant, the caller, and the claim signed over both. */
export function tenantContext(scope: TenantScope, claim: string): SQL {
  // Empty string, not NULL: the policies compare with it, and '' matches no row.
  return sql`select set_config('TimeZone', 'UTC', true), set_config('app.client_id', ${scope.clientId ?? ""}, true), set_config('app.user_id', ${scope.userId ?? ""}, true), set_config('app.tenant_claim', ${claim}, true)`;
}

/** Runs statements as one transaction inside the tenant's row-level-security context. */
export async function tenantBatch<const T extends Statements>(db: Database, scope: TenantScope, statements: T): Promise<BatchResponse<T>> {
  const claim = await signTenantClaim(tenantClaimSecretOf(db), { clientId: scope.clientId ?? "", userId: scope.userId ?? "" });
  const [, ...results] = await db.batch([db.execute(tenantContext(scope, claim)), ...statements] as unknown as Statements);
  return results as unknown as BatchResponse<T>;
}

/**
 * Runs statements across tenants, on the cross-tenant role's connection
 * (`crossTenantDatabase(c)`, i.e. createCrossTenantDatabase). Every use names why, and each run is
 * written to the audit log with the request id, so cross-tenant access is visible and reviewable.
 */
export async function crossTenantBatch<const T extends Statements>(
  db: Database,
  audit: { reason: string; requestId: string; actor: string },
  statements: T,
): Promise<BatchResponse<T>> {
  if (!isCrossTenant(db)) {
    throw new Error("crossTenantBatch needs the cross-tenant role's connection: crossTenantDatabase(c), not database(c)");
  }
  writeLog("info", "cross_tenant", audit);
  const [, ...results] = await db.batch([
    db.execute(sql`select set_config('TimeZone', 'UTC', true)`),
    ...statements,
  ] as unknown as Statements);
  return results as unknown as BatchResponse<T>;
}
