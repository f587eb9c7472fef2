// The design budget (ARCHITECTURE "One round trip per request"): an authenticated GET /v1/me costs
// at most two SQL-over-HTTP requests on a cold isolate and exactly one on a warm one. Counted at
// the SQL endpoint of a private stack, so other test files' traffic cannot blur the count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintWithPrivateJwks, type PrivateKeySet } from "../../dev/authorizer/index.js";
import { startLocalStack, type LocalStack } from "../../dev/stack.js";
import { createScratchDatabase, queryRows } from "../../dev/backend.js";
import { newId } from "../../drizzle/ids.js";

let stack: LocalStack;
let dropScratch: (() => Promise<void>) | undefined;
let token: string;

beforeAll(async () => {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, "apitest_rt") : undefined;
  dropScratch = scratch?.drop;
  stack = await startLocalStack({ backend: scratch ? { databaseUrl: scratch.url } : {}, logLevel: "none" });
  const clientId = newId();
  const userId = newId();
  await queryRows(stack.backend, `insert into clients (id, name, slug, "updatedAt") values ($1, 'RT', $1, now())`, [clientId]);
  await queryRows(
    stack.backend,
    `insert into users (id, "authorizerId", email, role, "clientId", "updatedAt") values ($1, $2, $3, 'ADMIN', $4, now())`,
    [userId, `auth-${userId}`, `${userId}@rt.test`, clientId],
  );
  const authorizer = stack.authorizer!;
  token = await mintWithPrivateJwks(authorizer.privateJwks() as PrivateKeySet, authorizer.url, authorizer.clientId, {
    sub: `auth-${userId}`,
  });
});

afterAll(async () => {
  await stack?.stop();
  await dropScratch?.();
});

async function sqlRequestsFor(path: string): Promise<{ status: number; requests: number }> {
  stack.sqlEndpoint.resetStats();
  const res = await fetch(`${stack.worker.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return { status: res.status, requests: stack.sqlEndpoint.stats().requests };
}

describe("SQL round trips of GET /v1/me", () => {
  it("costs at most two on a cold isolate (principal lookup + one batch)", async () => {
    const cold = await sqlRequestsFor("/v1/me");
    expect(cold.status).toBe(200);
    expect(cold.requests).toBeLessThanOrEqual(2);
  });

  it("costs exactly one when the principal is cached", async () => {
    const warm = await sqlRequestsFor("/v1/me");
    expect(warm.status).toBe(200);
    expect(warm.requests).toBe(1);
  });
});
