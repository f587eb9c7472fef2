// Issue 6, item 11 (second half): failed authentications are limited per client address with the
// Upstash limiter. Past AUTH_FAILURE_LIMIT failures a minute a refusal becomes 429 `quota_exceeded`
// with Retry-After; a valid credential is never refused by it, whatever the address's count; other
// addresses are not affected; IPv6 is counted per /64; with Upstash gone it is a 401 again, not a
// 503. A private stack (its own Worker and Upstash endpoint) with a limit of 5: the shared test stack
// turns the limit up, since every test there calls from the same address.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../dev/stack.js";
import { startWorker } from "../../dev/worker.js";
import { clientAddress } from "../../src/auth/failed-authentication.js";
import { expectEnvelope } from "../support/api.js";
import { seedCaller, startPrivateStack, type PrivateStack } from "../support/private-stack.js";

const LIMIT = 5;
let own: PrivateStack;
let stack: LocalStack;
let token: string;
let apiKey: string;

beforeAll(async () => {
  own = await startPrivateStack("authlimit", { vars: { AUTH_FAILURE_LIMIT: String(LIMIT), UPSTASH_TIMEOUT_MS: "1000" } });
  stack = own.stack;
  ({ token, apiKey } = await seedCaller(stack, { label: "Limit" }));
}, 180_000);

afterAll(async () => {
  await own?.stop();
});

async function get(credential: string, address: string, path = "/v1/me") {
  const res = await fetch(`${stack.worker.url}${path}`, {
    headers: { Authorization: `Bearer ${credential}`, "CF-Connecting-IP": address },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const randomKey = () => `apk_${"abcdefgh"}_${randomBytes(32).toString("base64url")}`;
const forgedToken = () => `${token.split(".").slice(0, 2).join(".")}.${randomBytes(256).toString("base64url")}`;

describe("the limit on failed authentications per client address", () => {
  it("answers 429 quota_exceeded with Retry-After once an address has failed AUTH_FAILURE_LIMIT times in a minute", async () => {
    const address = "203.0.113.7";
    for (let i = 0; i < LIMIT; i++) {
      expect((await get(i % 2 ? randomKey() : forgedToken(), address)).status).toBe(401);
    }
    const refused = await get(randomKey(), address);
    expect(refused.status).toBe(429);
    expectEnvelope(refused.body, "quota_exceeded");
    expect(refused.body.error.message).toMatch(/failed authentications/);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // A missing credential is a failed authentication too.
    expect((await fetch(`${stack.worker.url}/v1/me`, { headers: { "CF-Connecting-IP": address } })).status).toBe(429);
  });

  it("never refuses a valid credential, even from an address over the limit", async () => {
    const address = "203.0.113.8";
    for (let i = 0; i <= LIMIT; i++) await get(randomKey(), address);
    expect((await get(randomKey(), address)).status).toBe(429);
    expect((await get(token, address)).status).toBe(200);
    // The key authenticates; it is not allowed /v1/me (403), and may read reports (200).
    expect((await get(apiKey, address)).status).toBe(403);
    expect((await get(apiKey, address, "/v1/reports")).status).toBe(200);
  });

  it("counts each address on its own, and IPv6 addresses per /64", async () => {
    for (let i = 0; i <= LIMIT; i++) await get(randomKey(), "2001:db8:aa:1::1");
    expect((await get(randomKey(), "2001:db8:aa:1:ffff:1:2:3")).status).toBe(429);
    expect((await get(randomKey(), "2001:db8:aa:2::1")).status).toBe(401);
    expect((await get(randomKey(), "198.51.100.20")).status).toBe(401);
  });

  it("is shared by every isolate: the count lives in Upstash", async () => {
    const address = "203.0.113.9";
    for (let i = 0; i < LIMIT; i++) expect((await get(randomKey(), address)).status).toBe(401);
    const stats = stack.upstashEndpoint.stats();
    expect(stats.requests).toBeGreaterThan(0);
    // A second Worker (a new isolate, nothing remembered) on the same Upstash sees the address over the limit.
    const other = await startWorker({ vars: stack.vars });
    try {
      const res = await fetch(`${other.url}/v1/me`, { headers: { Authorization: `Bearer ${randomKey()}`, "CF-Connecting-IP": address } });
      await res.arrayBuffer();
      expect(res.status).toBe(429);
    } finally {
      await other.stop();
    }
  }, 120_000);

  it("stays a 401 (never a 503) when Upstash cannot be reached", async () => {
    await stack.upstashEndpoint.close();
    const res = await get(randomKey(), "198.51.100.99");
    expect(res.status).toBe(401);
    expectEnvelope(res.body, "unauthorized");
    expect((await get(token, "198.51.100.99")).status).toBe(200);
  });
});

describe("clientAddress", () => {
  it("keeps IPv4 addresses, maps IPv4-mapped IPv6 to IPv4, and cuts IPv6 to its /64", () => {
    expect(clientAddress("198.51.100.7")).toBe("198.51.100.7");
    expect(clientAddress("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(clientAddress("2001:db8:aa:1::1")).toBe("2001:db8:aa:1::/64");
    expect(clientAddress("2001:0DB8:00aa:0001:ffff:1:2:3")).toBe("2001:db8:aa:1::/64");
    expect(clientAddress("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientAddress("::1")).toBe("0:0:0:0::/64");
    expect(clientAddress(undefined)).toBe("unknown");
    expect(clientAddress("  ")).toBe("unknown");
  });
});
