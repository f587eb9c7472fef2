// The quota path's budget (ARCHITECTURE "One round trip per request"): a warm acquire costs one
// Upstash request and no SQL-over-HTTP request; an acquire for an account this isolate knows is
// blocked costs neither. Counted at the endpoints of a private stack.
import { afterAll, beforeAll, expect, it } from "vitest";
import { mintWithPrivateJwks, type PrivateKeySet } from "../../dev/authorizer/index.js";
import { createScratchDatabase, queryRows } from "../../ops/backend.js";
import { startLocalStack, type LocalStack } from "../../dev/stack.js";
import { newId } from "../../drizzle/ids.js";
import { deleteKeys } from "../upstash-endpoint/harness.js";

let stack: LocalStack;
let dropScratch: (() => Promise<void>) | undefined;
let token: string;
let accountId: string;
const keyPrefix = `apitest:rt${Date.now().toString(36)}:quota:`;

beforeAll(async () => {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, "apitest_qrt") : undefined;
  dropScratch = scratch?.drop;
  stack = await startLocalStack({
    backend: scratch ? { databaseUrl: scratch.url } : {},
    logLevel: "none",
    ...(process.env.TEST_REDIS_URL ? { redisUrl: process.env.TEST_REDIS_URL } : {}),
    vars: { QUOTA_KEY_PREFIX: keyPrefix, UPSTASH_TIMEOUT_MS: "10000" },
  });
  const clientId = newId();
  const userId = newId();
  accountId = newId();
  await queryRows(stack.backend, `insert into clients (id, name, slug, "updatedAt") values ($1, 'RT', $1, now())`, [clientId]);
  await queryRows(
    stack.backend,
    `insert into users (id, "authorizerId", email, role, "clientId", "updatedAt") values ($1, $2, $3, 'USER', $4, now())`,
    [userId, `auth-${userId}`, `${userId}@rt.test`, clientId],
  );
  await queryRows(
    stack.backend,
    `insert into ad_accounts (id, "metaAdAccountId", "accessToken", name, "clientId", "updatedAt") values ($1, $2, 'x', 'RT', $3, now())`,
    [accountId, `act_${Date.now()}`, clientId],
  );
  const a = stack.authorizer!;
  token = await mintWithPrivateJwks(a.privateJwks() as PrivateKeySet, a.url, a.clientId, { sub: `auth-${userId}` });
});

afterAll(async () => {
  await stack?.stop();
  await dropScratch?.();
  await deleteKeys(process.env.TEST_REDIS_URL, keyPrefix);
});

async function counted(path: string, body: unknown) {
  stack.sqlEndpoint.resetStats();
  stack.upstashEndpoint.resetStats();
  const res = await fetch(`${stack.worker.url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  // The pending work handed to waitUntil runs after the response; let it land before counting.
  await new Promise((r) => setTimeout(r, 200));
  return { status: res.status, sql: stack.sqlEndpoint.stats().requests, upstash: stack.upstashEndpoint.stats().requests };
}

it("a warm acquire costs one Upstash request and no SQL request", async () => {
  await counted(`/v1/ad-accounts/${accountId}/quota/acquire`, { cost: 1 }); // principal, account, script
  await counted(`/v1/ad-accounts/${accountId}/quota/acquire`, { cost: 1 });
  const warm = await counted(`/v1/ad-accounts/${accountId}/quota/acquire`, { cost: 3 });
  expect(warm).toEqual({ status: 200, sql: 0, upstash: 1 });
});

it("an acquire for an account known blocked on this isolate costs no request at all", async () => {
  const usage = await counted(`/v1/ad-accounts/${accountId}/quota/usage`, { error: { code: 17 } });
  expect(usage).toMatchObject({ status: 200, sql: 0 });
  const blocked = await counted(`/v1/ad-accounts/${accountId}/quota/acquire`, { cost: 1 });
  expect(blocked).toEqual({ status: 429, sql: 0, upstash: 0 });
});
