// Issue 12, item 1: the dependencies fail in every way the local endpoints can inject (an error
// status, a dropped connection, a request that never gets an answer, latency past the timeout),
// against the real Worker on a private stack with short timeouts. The contract (issue 12,
// "Decisions"): a request that needs the database answers 503 `unavailable` with Retry-After within
// DB_TIMEOUT_MS + 1 s, never a 500 or a stack; a failed ingest leaves no execution without its
// report and no report without its execution; a failed write was sent exactly once (no blind
// retry), a read at most twice; a quota decision with Upstash unreachable within 2 s;
// /health/ready within 3 s; recovery without a restart within 10 s of the dependency's return.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FaultSpec } from "../../dev/fault-injection.js";
import { startWorker, type RunningWorker } from "../../dev/worker.js";
import { clearFaults, executionWithReport, faultHits, injectFault, startFaultStack, storedFor, type FaultStack } from "./fault-stack.js";

const DB_TIMEOUT_MS = 2000;
const UPSTASH_TIMEOUT_MS = 1000;
/** The contract's bounds. */
const REQUEST_BOUND_MS = DB_TIMEOUT_MS + 1000;
const QUOTA_BOUND_MS = 2000;
const READY_BOUND_MS = 3000;
const RECOVERY_BOUND_MS = 10_000;

let f: FaultStack;
let sqlUrl: string;
let upstashUrl: string;
/** The same stack's Worker with QUOTA_FAIL_MODE=open. */
let failOpen: RunningWorker;

beforeAll(async () => {
  f = await startFaultStack({ dbTimeoutMs: DB_TIMEOUT_MS, upstashTimeoutMs: UPSTASH_TIMEOUT_MS, label: "apidepfault" });
  sqlUrl = f.stack.sqlEndpoint.url;
  upstashUrl = f.stack.upstashEndpoint.url;
  failOpen = await startWorker({ vars: { ...f.stack.vars, QUOTA_FAIL_MODE: "open" }, logLevel: "none" });
  // Warm the isolate (principals, the ad account's limit): the measured requests are the ones a
  // running service serves, and a write's request then carries only its own batch.
  expect((await read()).res.status).toBe(200);
  expect((await ingest(`warm-${Date.now()}`)).res.status).toBe(201);
  expect((await acquire()).res.status).toBe(200);
}, 180_000);

afterAll(async () => {
  await failOpen?.stop();
  await f?.stop();
});

afterEach(async () => {
  if (f) await clearFaults(sqlUrl, upstashUrl);
});

interface Timed {
  res: Response;
  text: string;
  body: any;
  ms: number;
  requestId: string;
}

async function timed(path: string, init: RequestInit = {}, base = f.stack.worker.url): Promise<Timed> {
  const requestId = `fault-${crypto.randomUUID()}`;
  const started = performance.now();
  const res = await fetch(`${base}${path}`, { ...init, headers: { ...(init.headers as object), "X-Request-Id": requestId } });
  const text = await res.text();
  const ms = performance.now() - started;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { res, text, body, ms, requestId };
}

const read = () => timed("/v1/workflows", { headers: { Authorization: `Bearer ${f.token}` } });
const ingest = (n8nExecutionId: string) =>
  timed("/v1/webhooks/n8n/executions", {
    method: "POST",
    headers: { Authorization: `Bearer ${f.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(executionWithReport(f.workflowId, n8nExecutionId)),
  });
const acquire = (base?: string) =>
  timed(
    `/v1/ad-accounts/${f.adAccountId}/quota/acquire`,
    {
      method: "POST",
      headers: { Authorization: `Bearer ${f.token}`, "content-type": "application/json" },
      body: JSON.stringify({ cost: 1 }),
    },
    base,
  );
const ready = () => timed("/health/ready");

/** 503 `unavailable`, Retry-After in seconds, the envelope, nothing of a stack, within `boundMs`. */
function expectUnavailable(r: Timed, boundMs: number, what: string): void {
  expect({ what, status: r.res.status, body: r.body }).toMatchObject({
    status: 503,
    body: { error: { code: "unavailable", requestId: r.requestId } },
  });
  expect(Number(r.res.headers.get("retry-after")), `${what}: Retry-After`).toBeGreaterThan(0);
  expect(r.text, `${what}: no stack in the answer`).not.toMatch(/\bat .+:\d+:\d+|Error:|NeonDbError|injected fault/);
  expect(r.ms, `${what}: answered within ${boundMs} ms`).toBeLessThan(boundMs);
}

const n8nId = () => String(Date.now() * 1000 + Math.floor(Math.random() * 1000));

// Every way the SQL endpoint can fail a request. `latency` past DB_TIMEOUT_MS is a slow database.
const SQL_FAULTS: [string, FaultSpec][] = [
  ["HTTP 500", { kind: "status", status: 500 }],
  ["HTTP 503", { kind: "status", status: 503 }],
  ["HTTP 502", { kind: "status", status: 502 }],
  ["a dropped connection", { kind: "drop" }],
  ["no answer at all", { kind: "hang" }],
  ["latency past the timeout", { kind: "latency", ms: DB_TIMEOUT_MS + 2000 }],
];

describe("the SQL endpoint fails", () => {
  it.each(SQL_FAULTS)("%s: a read answers 503 in bounded time, sent at most twice", async (_, spec) => {
    const requestId = `fault-${crypto.randomUUID()}`;
    const id = await injectFault(sqlUrl, { ...spec, match: { requestId } });
    const started = performance.now();
    const res = await fetch(`${f.stack.worker.url}/v1/workflows`, {
      headers: { Authorization: `Bearer ${f.token}`, "X-Request-Id": requestId },
    });
    const text = await res.text();
    const r: Timed = { res, text, body: JSON.parse(text), ms: performance.now() - started, requestId };
    expectUnavailable(r, REQUEST_BOUND_MS, `read, ${spec.kind}`);
    // Reads may be retried once; every attempt met the fault (it strikes until cleared).
    const hits = await faultHits(sqlUrl, id);
    expect(hits).toBeGreaterThanOrEqual(1);
    expect(hits).toBeLessThanOrEqual(2);
    expect(f.stack.sqlEndpoint.requestsFor(requestId)).toBe(hits);
  });

  // (Latency past the timeout is left to the reads: its batch would commit once the delay is over,
  // after the Worker gave up, which the "after COMMIT" cases below cover without the wait.)
  it.each(SQL_FAULTS.filter(([, spec]) => spec.kind !== "latency"))(
    "%s: an ingest answers 503 in bounded time, was sent once, and wrote nothing",
    async (_, spec) => {
      const execution = n8nId();
      // Only the write's batch is struck (the principal is cached, so it is the request's only SQL).
      const id = await injectFault(sqlUrl, { ...spec, match: { contains: execution } });
      const r = await ingest(execution);
      expectUnavailable(r, REQUEST_BOUND_MS, `ingest, ${spec.kind}`);
      // The fault strikes until cleared, so a second attempt would have been struck (and counted) too.
      expect(await faultHits(sqlUrl, id), "a failed write is sent exactly once").toBe(1);
      expect(f.stack.sqlEndpoint.requestsFor(r.requestId)).toBe(1);
      expect(await storedFor(f, execution)).toEqual({ executions: 0, reports: 0, linked: 0 });
      await clearFaults(sqlUrl);
      const again = await ingest(execution);
      expect(again.res.status).toBe(201);
      expect(await storedFor(f, execution)).toEqual({ executions: 1, reports: 1, linked: 1 });
    },
  );
});

describe("a webhook ingest fails mid-batch or after its commit", () => {
  // `during`: every statement ran, then the transaction rolled back (the proxy lost Postgres before
  // COMMIT). `after`: it committed and the answer was lost; the retry finds it (200, same ids).
  const CASES: [string, FaultSpec, "nothing" | "both"][] = [
    ["HTTP 500 before COMMIT", { kind: "status", status: 500, phase: "during" }, "nothing"],
    ["a dropped connection before COMMIT", { kind: "drop", phase: "during" }, "nothing"],
    ["no answer before COMMIT", { kind: "hang", phase: "during" }, "nothing"],
    ["HTTP 503 after COMMIT", { kind: "status", status: 503, phase: "after" }, "both"],
    ["a dropped connection after COMMIT", { kind: "drop", phase: "after" }, "both"],
    ["no answer after COMMIT", { kind: "hang", phase: "after" }, "both"],
  ];

  it.each(CASES)("%s: 503, all or nothing stored, and the retry succeeds without a duplicate", async (_, spec, stored) => {
    const execution = n8nId();
    const id = await injectFault(sqlUrl, { ...spec, count: 1, match: { contains: execution } });
    const r = await ingest(execution);
    expectUnavailable(r, REQUEST_BOUND_MS, `ingest, ${spec.kind} ${spec.phase}`);
    expect(await faultHits(sqlUrl, id)).toBe(1);
    expect(f.stack.sqlEndpoint.requestsFor(r.requestId)).toBe(1);
    const n = stored === "both" ? 1 : 0;
    expect(await storedFor(f, execution)).toEqual({ executions: n, reports: n, linked: n });

    const again = await ingest(execution);
    expect(again.res.status).toBe(stored === "both" ? 200 : 201);
    expect(again.body.data.reportId).toEqual(expect.any(String));
    expect(await storedFor(f, execution)).toEqual({ executions: 1, reports: 1, linked: 1 });
  });
});

describe("Upstash fails", () => {
  const UPSTASH_FAULTS: [string, FaultSpec][] = [
    ["HTTP 500", { kind: "status", status: 500 }],
    ["a dropped connection", { kind: "drop" }],
    ["no answer at all", { kind: "hang" }],
    ["latency past the timeout", { kind: "latency", ms: 3000 }],
  ];

  it.each(UPSTASH_FAULTS)("%s: the quota decision answers 503 within 2 s", async (_, spec) => {
    const id = await injectFault(upstashUrl, { ...spec, match: { contains: f.adAccountId } });
    const r = await acquire();
    expectUnavailable(r, QUOTA_BOUND_MS, `acquire, ${spec.kind}`);
    expect(await faultHits(upstashUrl, id)).toBe(1);
  });

  it("no answer at all, QUOTA_FAIL_MODE=open: the call is granted (flagged) within 2 s", async () => {
    expect((await acquire(failOpen.url)).res.status).toBe(200); // warm: the account's limit is cached
    await injectFault(upstashUrl, { kind: "hang", match: { contains: f.adAccountId } });
    const r = await acquire(failOpen.url);
    expect(r.res.status).toBe(200);
    expect(r.body.data).toMatchObject({ granted: true });
    expect(r.res.headers.get("x-quota-degraded")).toBe("fail-open");
    expect(r.ms).toBeLessThan(QUOTA_BOUND_MS);
  });
});

describe("/health/ready", () => {
  const checks = (r: Timed) => ({
    status: r.body?.status,
    database: r.body?.checks?.database?.status,
    redis: r.body?.checks?.redis?.status,
  });

  it("answers within 3 s when the database hangs (503 down)", async () => {
    await injectFault(sqlUrl, { kind: "hang" });
    const r = await ready();
    expect(r.ms).toBeLessThan(READY_BOUND_MS);
    expect(r.res.status).toBe(503);
    expect(checks(r)).toEqual({ status: "down", database: "error", redis: "ok" });
  });

  it("answers within 3 s when Upstash hangs (200 degraded)", async () => {
    await injectFault(upstashUrl, { kind: "hang" });
    const r = await ready();
    expect(r.ms).toBeLessThan(READY_BOUND_MS);
    expect(r.res.status).toBe(200);
    expect(checks(r)).toEqual({ status: "degraded", database: "ok", redis: "error" });
  });

  it("answers within 3 s when both hang", async () => {
    await injectFault(sqlUrl, { kind: "hang" });
    await injectFault(upstashUrl, { kind: "hang" });
    const r = await ready();
    expect(r.ms).toBeLessThan(READY_BOUND_MS);
    expect(r.res.status).toBe(503);
    expect(checks(r)).toEqual({ status: "down", database: "error", redis: "error" });
  });
});

describe("recovery", () => {
  it("recovers by itself within 10 s once both dependencies are back", { timeout: 60_000 }, async () => {
    await injectFault(sqlUrl, { kind: "drop" });
    await injectFault(upstashUrl, { kind: "drop" });
    const down = await Promise.all([read(), ingest(n8nId()), acquire()]);
    for (const r of down) expectUnavailable(r, REQUEST_BOUND_MS, "while down");
    expect((await ready()).res.status).toBe(503);

    await clearFaults(sqlUrl, upstashUrl);
    const back = performance.now();
    let healthy = false;
    while (!healthy && performance.now() - back < RECOVERY_BOUND_MS + 5000) {
      const [a, b, c, d] = await Promise.all([read(), ingest(n8nId()), acquire(), ready()]);
      healthy = a.res.status === 200 && b.res.status === 201 && c.res.status === 200 && d.res.status === 200 && d.body.status === "ok";
      if (!healthy) await new Promise((done) => setTimeout(done, 250));
    }
    expect(healthy).toBe(true);
    expect(performance.now() - back).toBeLessThan(RECOVERY_BOUND_MS);
  });
});
