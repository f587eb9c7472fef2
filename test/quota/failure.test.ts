// The failure policy, on variants of the shared Worker whose Upstash URL names a port where nothing
// listens: QUOTA_FAIL_MODE=closed (default) answers 503 with Retry-After, open grants (and logs);
// /health/ready says degraded; everything else is unaffected. Unconfigured Upstash is like down.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startWorker, type RunningWorker } from "../../dev/worker.js";
import { expectEnvelope } from "../support/api.js";
import { bearer, createTenant, type TestTenant } from "../support/fixtures.js";
import { acquire, createAdAccount } from "./support.js";

let closed: RunningWorker;
let open: RunningWorker;
let unconfigured: RunningWorker;
let t: TestTenant;

beforeAll(async () => {
  const vars = { ...inject("workerVars"), UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9", UPSTASH_TIMEOUT_MS: "1000" };
  const { UPSTASH_REDIS_REST_URL: _u, UPSTASH_REDIS_REST_TOKEN: _t, ...withoutUpstash } = inject("workerVars");
  [closed, open, unconfigured, t] = await Promise.all([
    startWorker({ vars, logLevel: "none" }),
    startWorker({ vars: { ...vars, QUOTA_FAIL_MODE: "open" }, logLevel: "none" }),
    startWorker({ vars: withoutUpstash, logLevel: "none" }),
    createTenant(),
  ]);
});
afterAll(async () => {
  await Promise.all([closed?.stop(), open?.stop(), unconfigured?.stop()]);
});

const absolute = (w: RunningWorker) => w.url;

describe("Upstash unreachable", () => {
  // A first request to a fresh Worker on a loaded machine can be slow: these get a longer bound.
  it("closed: acquire, usage and read answer 503 unavailable with Retry-After", { timeout: 90_000 }, async () => {
    const acct = await createAdAccount(t.clientId);
    const res = await acquire(t.user.token, acct.id, { cost: 1 }, absolute(closed));
    expect(res.status).toBe(503);
    expectEnvelope(res.body, "unavailable");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const read = await fetch(`${closed.url}/v1/ad-accounts/${acct.id}/quota`, { headers: bearer(t.viewer.token) });
    expect(read.status).toBe(503);
    const usage = await fetch(`${closed.url}/v1/ad-accounts/${acct.id}/quota/usage`, {
      method: "POST",
      headers: { ...bearer(t.user.token), "content-type": "application/json" },
      body: JSON.stringify({ error: { code: 17 } }),
    });
    expect(usage.status).toBe(503);
  });

  it("open: acquire is granted (and logged loudly)", { timeout: 90_000 }, async () => {
    const acct = await createAdAccount(t.clientId, { limit: 7 });
    const res = await acquire(t.user.token, acct.id, { cost: 3 }, absolute(open));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ granted: true, limit: 7 });
    expect(res.headers.get("x-quota-degraded")).toBe("fail-open");
  });

  it("everything else is unaffected, and /health/ready says degraded", async () => {
    const me = await fetch(`${closed.url}/v1/me`, { headers: bearer(t.user.token) });
    expect(me.status).toBe(200);
    const ready = await fetch(`${closed.url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as any;
    expect(body.status).toBe("degraded");
    expect(body.checks.database.status).toBe("ok");
    expect(body.checks.redis.status).toBe("error");
  });
});

it("Upstash not configured: quota answers 503, readiness reports not_configured", { timeout: 90_000 }, async () => {
  const acct = await createAdAccount(t.clientId);
  const res = await acquire(t.user.token, acct.id, {}, absolute(unconfigured));
  expect(res.status).toBe(503);
  expectEnvelope(res.body, "unavailable");
  const body = (await (await fetch(`${unconfigured.url}/health/ready`)).json()) as any;
  expect(body.checks.redis).toEqual({ status: "not_configured" });
});
