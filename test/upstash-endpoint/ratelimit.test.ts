// @upstash/ratelimit 2.2's token bucket (the algorithm the quota service uses) gives the same
// answers through the endpoint on the in-memory store (ioredis-mock, Lua on fengari) as on a real
// Redis: weighted calls, refusals that consume nothing, remaining/reset, hashes that hit.
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UpstashEndpoint } from "../../dev/upstash-endpoint/index.js";
import { deleteKeys, STORES, uniquePrefix } from "./harness.js";

describe.each(STORES)("token bucket on the $name store", (store) => {
  let endpoint: UpstashEndpoint;
  let redis: Redis;
  const prefix = uniquePrefix(`rl-${store.name}`);

  beforeAll(async () => {
    endpoint = await store.start();
    redis = new Redis({ url: endpoint.url, token: endpoint.token, enableTelemetry: false });
  });
  afterAll(async () => {
    await endpoint?.close();
    await deleteKeys(store.name === "redis" ? process.env.TEST_REDIS_URL : undefined, prefix);
  });

  const bucket = (limit: number, windowMs = 60_000) =>
    new Ratelimit({
      redis,
      prefix: `${prefix}b`,
      limiter: Ratelimit.tokenBucket(limit, `${windowMs} ms`, limit),
      ephemeralCache: false,
      timeout: 0,
    });

  it("grants weighted calls while points last; a refused call consumes nothing", async () => {
    const rl = bucket(5);
    const started = Date.now();
    const answers = [];
    for (const rate of [3, 3, 1, 1, 1]) {
      const r = await rl.limit("acct-1", { rate });
      answers.push([r.success, r.remaining]);
      expect(r.limit).toBe(5);
      expect(r.reset).toBeGreaterThanOrEqual(started + 60_000);
      expect(r.reset).toBeLessThanOrEqual(Date.now() + 60_000);
    }
    expect(answers).toEqual([
      [true, 2],
      [false, 0],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect((await rl.getRemaining("acct-1")).remaining).toBe(0);
    expect((await rl.getRemaining("acct-unused")).remaining).toBe(5);
  });

  it("refills in full after the interval", async () => {
    const rl = bucket(2, 300);
    expect((await rl.limit("acct-2", { rate: 2 })).success).toBe(true);
    expect((await rl.limit("acct-2")).success).toBe(false);
    await new Promise((r) => setTimeout(r, 350));
    const r = await rl.limit("acct-2");
    expect([r.success, r.remaining]).toEqual([true, 1]);
  });

  it("is atomic: 100 simultaneous calls against 50 points grant exactly 50", async () => {
    const rl = bucket(50);
    const results = await Promise.all(Array.from({ length: 100 }, () => rl.limit("acct-3")));
    expect(results.filter((r) => r.success)).toHaveLength(50);
  });

  it("hits the client's hard-coded hashes: one EVAL the first time, EVALSHA only afterwards", async () => {
    const fresh = await store.start();
    try {
      const client = new Redis({ url: fresh.url, token: fresh.token, enableTelemetry: false });
      const rl = new Ratelimit({
        redis: client,
        prefix: `${prefix}h`,
        limiter: Ratelimit.tokenBucket(9, "60 s", 9),
        ephemeralCache: false,
      });
      await client.scriptFlush().catch(() => {}); // a real Redis may know the script from another run
      await rl.limit("acct-4");
      fresh.resetStats();
      for (let i = 0; i < 3; i++) await rl.limit("acct-4");
      expect(fresh.stats()).toMatchObject({ requests: 3, byCommand: { EVALSHA: 3 } });
      expect(fresh.stats().byCommand.EVAL).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });
});
