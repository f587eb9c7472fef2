// Conformance of the local Upstash endpoint, driven by the official @upstash/redis client, on the
// in-memory store and (with TEST_REDIS_URL) on a real Redis: values survive the base64 response
// encoding, errors reach the client as Upstash reports them, scripts work by hash.
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UpstashEndpoint } from "../../dev/upstash-endpoint/index.js";
import { sha1 } from "../../dev/upstash-endpoint/scripts.js";
import { deleteKeys, STORES, uniquePrefix } from "./harness.js";

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("should fail"),
    (e: unknown) => e as Error,
  );

describe.each(STORES)("on the $name store", (store) => {
  let endpoint: UpstashEndpoint;
  let redis: Redis;
  let raw: Redis;
  const p = uniquePrefix(`client-${store.name}`);

  beforeAll(async () => {
    endpoint = await store.start();
    redis = new Redis({ url: endpoint.url, token: endpoint.token, enableTelemetry: false });
    raw = new Redis({ url: endpoint.url, token: endpoint.token, enableTelemetry: false, automaticDeserialization: false });
  });
  afterAll(async () => {
    await endpoint?.close();
    await deleteKeys(store.name === "redis" ? process.env.TEST_REDIS_URL : undefined, p);
  });

  it("SET with nx and an expiry: set once, refused while the key lives, expiring (the client sends lowercase options)", async () => {
    expect(await redis.set(`${p}once`, "1", { nx: true, ex: 60 })).toBe("OK");
    expect(await redis.set(`${p}once`, "2", { nx: true, ex: 60 })).toBeNull();
    expect(await redis.get(`${p}once`)).toBe(1);
    const ttl = await redis.ttl(`${p}once`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await redis.set(`${p}absent`, "1", { xx: true })).toBeNull();
    expect(await redis.set(`${p}once`, "3", { xx: true, px: 5_000 })).toBe("OK");
    expect(await redis.pttl(`${p}once`)).toBeLessThanOrEqual(5_000);
  });

  it.each([
    ["non-ASCII text", "héllo wörld ✓ 日本語 🚀"],
    ["base64-looking text", "SGVsbG8="],
    ["the text OK", "OK"],
    ["control and high characters", "\u0000\u0001\u007f\u00ff line\nbreak"],
    ["an empty string", ""],
    ["JSON-looking text", '{"a":1}'],
  ])("round-trips %s unchanged", async (_, value) => {
    await raw.set(`${p}s`, value);
    expect(await raw.get(`${p}s`)).toBe(value);
    expect(await raw.strlen(`${p}s`)).toBe(Buffer.byteLength(value));
  });

  it("round-trips numbers, objects and null with automatic deserialization", async () => {
    await redis.set(`${p}n`, 42);
    expect(await redis.get(`${p}n`)).toBe(42);
    expect(await redis.incrby(`${p}n`, 8)).toBe(50);
    expect(await redis.incrbyfloat(`${p}n`, 0.5)).toBe(50.5);
    await redis.set(`${p}o`, { a: [1, "x"], b: null });
    expect(await redis.get(`${p}o`)).toEqual({ a: [1, "x"], b: null });
    expect(await redis.get(`${p}missing`)).toBeNull();
    await redis.hset(`${p}h`, { f: "v" });
    expect(await redis.hmget(`${p}h`, "f", "nope")).toEqual({ f: "v", nope: null });
  });

  it("coerces number and boolean arguments to bulk strings", async () => {
    expect(await raw.set(`${p}c`, 12.5)).toBe("OK");
    expect(await raw.get(`${p}c`)).toBe("12.5");
    await raw.set(`${p}b`, true);
    expect(await raw.get(`${p}b`)).toBe("true");
    await raw.expire(`${p}b`, 100);
    expect(await raw.ttl(`${p}b`)).toBeGreaterThan(90);
  });

  it("answers a pipeline with one result or error per command, the failing one included", async () => {
    const out = await raw.pipeline().set(`${p}pl`, "text").lpush(`${p}pl`, "x").get(`${p}pl`).exec({ keepErrors: true });
    expect(out[0]).toEqual({ result: "OK", error: undefined });
    expect(out[1]!.error).toMatch(/^WRONGTYPE Operation against a key holding the wrong kind of value/);
    expect(out[2]).toEqual({ result: "text", error: undefined });
    const err = await failure(raw.pipeline().set(`${p}pl2`, "a").rpush(`${p}pl2`, "f").exec());
    expect(err.message).toMatch(/Command 2 \[ rpush \] failed: WRONGTYPE/);
  });

  it("refuses a failing single command with Redis' error text (HTTP 400)", async () => {
    await raw.set(`${p}e`, "text");
    const single = new Redis({ url: endpoint.url, token: endpoint.token, enableTelemetry: false, enableAutoPipelining: false });
    const err = await failure(single.lpush(`${p}e`, "x"));
    expect(err.name).toBe("UpstashError");
    expect(err.message).toMatch(/WRONGTYPE Operation against a key holding the wrong kind of value/);
  });

  it("runs multi-exec atomically and answers each command", async () => {
    const out = await raw.multi().set(`${p}m`, "1").incr(`${p}m`).incr(`${p}m`).get(`${p}m`).exec();
    expect(out).toEqual(["OK", 2, 3, "3"]);
  });

  it("runs scripts by EVAL and EVALSHA, answering NOSCRIPT for an unknown hash", async () => {
    const script = `return {KEYS[1], ARGV[1], tonumber(ARGV[2]) * 2, 7.9, false, "ü"}`;
    const err = await failure(raw.evalsha(sha1(`-- ${p}\n${script}`), [], []));
    expect(err.message).toMatch(/NOSCRIPT No matching script/);
    expect(await raw.eval(script, [`${p}k`], ["a", "21"])).toEqual([`${p}k`, "a", 42, 7, null, "ü"]);
    expect(await raw.evalsha(sha1(script), [`${p}k`], ["b", "1"])).toEqual([`${p}k`, "b", 2, 7, null, "ü"]);
    const loaded = await raw.scriptLoad(`return 'loaded'`);
    expect(loaded).toBe(sha1(`return 'loaded'`));
    expect(await raw.evalsha(loaded, [], [])).toBe("loaded");
    expect(await raw.scriptExists(loaded, "0".repeat(40))).toEqual([1, 0]);
  });

  it("converts script results as Redis does: nil bulk strings as false inside, tables built by assignment", async () => {
    await raw.hset(`${p}sh2`, { a: "1" });
    expect(await raw.eval(`return redis.call('HMGET', KEYS[1], 'a', 'b')`, [`${p}sh2`], [])).toEqual(["1", null]);
    expect(
      await raw.eval(`local v = redis.call('HMGET', KEYS[1], 'b'); return v[1] == false and 'false' or 'other'`, [`${p}sh2`], []),
    ).toBe("false");
    expect(await raw.eval(`local t = {}; t[1] = 'a'; t[2] = false; t[3] = 3; return t`, [], [])).toEqual(["a", null, 3]);
    expect(await raw.eval(`return redis.call('GET', KEYS[1])`, [`${p}nokey`], [])).toBeNull();
  });

  it("strips a #!lua shebang and maps the original hash to the stripped script", async () => {
    const script = `#!lua flags=allow-key-locking\nreturn redis.call('INCR', KEYS[1])`;
    expect(await raw.eval(script, [`${p}sh`], [])).toBe(1);
    expect(await raw.evalsha(sha1(script), [`${p}sh`], [])).toBe(2);
    const other = `#!lua flags=allow-key-locking\nreturn 'loaded ${p}'`;
    expect(await raw.scriptLoad(other)).toBe(sha1(other));
    expect(await raw.evalsha(sha1(other), [], [])).toBe(`loaded ${p}`);
  });

  it("refuses a wrong token with 401", async () => {
    const wrong = new Redis({ url: endpoint.url, token: "wrong", enableTelemetry: false });
    const err = await failure(wrong.get(`${p}x`));
    expect(err.message).toMatch(/WRONGPASS invalid or missing auth token/);
  });

  it("counts requests and commands (auto-pipelined commands of one tick share a request)", async () => {
    const auto = new Redis({ url: endpoint.url, token: endpoint.token, enableTelemetry: false, enableAutoPipelining: true });
    endpoint.resetStats();
    await Promise.all([auto.set(`${p}a1`, "1"), auto.set(`${p}a2`, "2"), auto.incr(`${p}a3`)]);
    expect(endpoint.stats()).toMatchObject({ requests: 1, commands: 3, byPath: { "/pipeline": 1 } });
  });
});
