// Quota test data: ad accounts inserted as the owner, and calls to the quota endpoints.
import { newId } from "../../drizzle/ids.js";
import { call } from "../support/api.js";
import { bearer, ownerSql } from "../support/fixtures.js";

export async function createAdAccount(clientId: string, opts: { limit?: number } = {}): Promise<{ id: string; metaId: string }> {
  const id = newId();
  const metaId = `act_${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  await ownerSql.query(
    `insert into ad_accounts (id, "metaAdAccountId", "accessToken", name, "apiCallsLimit", "clientId", "updatedAt")
     values ($1, $2, 'test-token', $3, $4, $5, now())`,
    [id, metaId, `Account ${id}`, opts.limit ?? 200, clientId],
  );
  return { id, metaId };
}

export function acquire(credential: string, accountId: string, body: unknown = {}, base = "") {
  return call(`${base}/v1/ad-accounts/${accountId}/quota/acquire`, {
    method: "POST",
    headers: { ...bearer(credential), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

export function report(credential: string, accountId: string, body: unknown) {
  return call(`/v1/ad-accounts/${accountId}/quota/usage`, {
    method: "POST",
    headers: { ...bearer(credential), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

export function readQuota(credential: string, accountId: string) {
  return call(`/v1/ad-accounts/${accountId}/quota`, { headers: bearer(credential) });
}
