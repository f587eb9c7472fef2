// The ad account a quota call is about: its tenant, Meta id and limit, looked up once and then
// cached per isolate, so a warm acquire costs no SQL-over-HTTP request. Another tenant's account
// and a missing one are the same 404.
import { and, eq } from "drizzle-orm";
import { adAccounts } from "../../drizzle/schema.js";
import type { Database } from "../db/client.js";
import { tenantBatch } from "../db/tenant.js";
import { notFound } from "../lib/errors.js";

export interface QuotaAccount {
  id: string;
  clientId: string;
  metaAdAccountId: string;
  apiCallsLimit: number;
}

/** A limit changed in the database reaches every isolate within this long. */
const ACCOUNT_TTL_MS = 60_000;
const MAX_CACHED = 10_000;
const cache = new Map<string, { account: QuotaAccount; at: number }>();

export async function quotaAccount(db: () => Database, clientId: string, adAccountId: string, now = Date.now()): Promise<QuotaAccount> {
  const hit = cache.get(adAccountId);
  if (hit && now - hit.at < ACCOUNT_TTL_MS) {
    if (hit.account.clientId !== clientId) throw missing();
    return hit.account;
  }
  const database = db();
  const [rows] = await tenantBatch(database, { clientId }, [
    database
      .select({
        id: adAccounts.id,
        clientId: adAccounts.clientId,
        metaAdAccountId: adAccounts.metaAdAccountId,
        apiCallsLimit: adAccounts.apiCallsLimit,
      })
      .from(adAccounts)
      .where(and(eq(adAccounts.id, adAccountId), eq(adAccounts.clientId, clientId))),
  ]);
  const account = rows[0];
  if (!account) throw missing();
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(adAccountId, { account, at: now });
  return account;
}

const missing = () => notFound("No ad account with this id.");
