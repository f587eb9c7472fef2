// Issue 6, item 11: a flood of random, well-formed API keys must not push valid principals out of the
// per-isolate cache. After a flood of unknown keys, a warm valid key and a warm token still cost no
// SQL request for authentication. Counted at the SQL endpoint of a private stack (one isolate, no
// other test's traffic), like test/identity/round-trips.test.ts. A flood larger than the whole cache
// (5,000 requests) is too slow for the suite over HTTP; test/unit/principal-cache.test.ts floods the
// cache module itself, with its real configuration, far beyond its size.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../dev/stack.js";
import { seedCaller, startPrivateStack, type PrivateStack } from "../support/private-stack.js";

let own: PrivateStack;
let stack: LocalStack;
let token: string;
let apiKey: string;

beforeAll(async () => {
  // The flood comes from one address: keep the per-address limit (its own test) out of the way.
  own = await startPrivateStack("flood", { vars: { AUTH_FAILURE_LIMIT: "100000" } });
  stack = own.stack;
  ({ token, apiKey } = await seedCaller(stack, { label: "Flood" }));
}, 180_000);

afterAll(async () => {
  await own?.stop();
});

async function get(credential: string): Promise<number> {
  const res = await fetch(`${stack.worker.url}/v1/me`, { headers: { Authorization: `Bearer ${credential}` } });
  await res.arrayBuffer();
  return res.status;
}

const randomKey = () => `apk_${"abcdefgh"}_${randomBytes(32).toString("base64url")}`;

describe("a flood of unknown API keys", () => {
  it("leaves valid principals cached: a warm key and a warm token still cost no SQL request for authentication", async () => {
    // Warm: the key's principal (an API key may not read /v1/me: 403 after authenticating) and the token's.
    expect(await get(apiKey)).toBe(403);
    expect(await get(token)).toBe(200);

    // Unknown keys, a few at a time; each is looked up once (see reportFailedAuthentication).
    const flood = 60;
    stack.sqlEndpoint.resetStats();
    for (let sent = 0; sent < flood; sent += 20) {
      const statuses = await Promise.all(Array.from({ length: 20 }, () => get(randomKey())));
      expect(new Set(statuses)).toEqual(new Set([401]));
    }
    expect(stack.sqlEndpoint.stats().requests).toBeGreaterThanOrEqual(flood);

    stack.sqlEndpoint.resetStats();
    expect(await get(apiKey)).toBe(403);
    expect(stack.sqlEndpoint.stats().requests).toBe(0);
    expect(await get(token)).toBe(200);
    expect(stack.sqlEndpoint.stats().requests).toBe(1); // /v1/me's own batch, nothing for authentication
  }, 120_000);
});
