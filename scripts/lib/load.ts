// Shared by `npm run bench` and `npm run load`: the benchmark stack (the real Worker in workerd on the
// local stack, in front of a scratch database on a real Postgres loaded with bench:db's dataset and
// a real Redis), the credentials and payloads the load uses, and the load generator itself (Node's
// own fetch; closed loop: each of `concurrency` workers sends its next request when the last one
// is answered). No figure is computed anywhere but from the requests actually timed here.
import { deleteKeys } from "../../dev/redis-keys.js";
import { loadavg } from "node:os";
import { FULL, loadDataset, type BenchSize } from "../bench-db.js";
import { mintWithPrivateJwks, type PrivateKeySet } from "../../dev/authorizer/index.js";
import { startLocalStack, type LocalStack } from "../../dev/stack.js";
import { createScratchDatabase, queryRows } from "../../ops/backend.js";
import { generateApiKey } from "../../src/auth/api-key-format.js";

// --- statistics -----------------------------------------------------------------------------------

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round = (x: number, digits = 2) => (Number.isFinite(x) ? +x.toFixed(digits) : x);

export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: round(percentile(s, 50)),
    p95: round(percentile(s, 95)),
    p99: round(percentile(s, 99)),
    max: round(s.at(-1) ?? Number.NaN),
  };
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** 1-minute load average, two decimals (the machine is shared: every figure is reported with it). */
export const load1 = () => round(loadavg()[0]!);

// --- the stack ------------------------------------------------------------------------------------

export interface Tenant {
  clientId: string;
  /** The tenant's ADMIN (bench-db's `t<c>_u0`) and a token for it. */
  userId: string;
  token: string;
  /** An API key with executions:write and quota:use. */
  apiKey: string;
  /** A workflow of the tenant, with its share of the dataset's executions. */
  workflowId: string;
  /** Ad accounts: `unlimited` has a budget no run exhausts; `limited` keeps the default 200 points an hour. */
  unlimitedAccount: string;
  limitedAccount: string;
  /** Blocked by a Meta usage report before the measurements (bench's "acquire while blocked"). */
  blockedAccount: string;
}

export interface BenchStack {
  stack: LocalStack;
  size: BenchSize;
  tenants: Tenant[];
  /** The scratch database's load (bench:db's set-based SQL) and ANALYZE, ms. */
  datasetMs: number;
  tableRows: Record<string, number>;
  serverVersion: string;
  redisUrl: string;
  /** A token for any user of the dataset (`t<c>_u<k>`), for requests that need a principal nobody used yet. */
  tokenFor(tenant: number, user: number): Promise<string>;
  close(): Promise<void>;
}

export const UNLIMITED = 1_000_000_000;

/** BENCH_SCALE scales bench:db's full dataset (1 = 1,000,000 executions, 100,000 reports); always 200 tenants. */
export function benchSize(scale = Number(process.env.BENCH_SCALE ?? 1)): BenchSize {
  if (!(scale > 0 && scale <= 10)) throw new Error(`BENCH_SCALE must be in (0, 10], got ${scale}`);
  return { ...FULL, executions: Math.round(FULL.executions * scale), reports: Math.round(FULL.reports * scale) };
}

/**
 * A scratch database on BENCH_DATABASE_URL's server loaded with bench:db's dataset, the local stack
 * in front of it and of BENCH_REDIS_URL's Redis, the Worker started with BENCH_ROUTES=1, and
 * `tenantCount` tenants' credentials. Production's timeouts (DB_TIMEOUT_MS, UPSTASH_TIMEOUT_MS) are
 * kept: an error under load is an error.
 */
export async function startBenchStack(opts: { tenantCount: number; size?: BenchSize; log?: (line: string) => void }): Promise<BenchStack> {
  const log = opts.log ?? (() => {});
  const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/0";
  const size = opts.size ?? benchSize();
  if (opts.tenantCount > size.tenants) throw new Error(`at most ${size.tenants} tenants`);
  const keyPrefix = `bench:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:quota:`;
  const scratch = await createScratchDatabase(serverUrl, "apibench");
  let stack: LocalStack | undefined;
  const cleanup = async () => {
    await stack?.stop().catch(() => {});
    await scratch.drop().catch((err: unknown) => log(`could not drop ${scratch.name}: ${(err as Error).message}`));
    await deleteKeys(redisUrl, keyPrefix).catch(() => {});
  };
  try {
    let datasetMs = 0;
    let tableRows: Record<string, number> = {};
    stack = await startLocalStack({
      backend: { databaseUrl: scratch.url },
      redisUrl,
      logLevel: "none",
      vars: { BENCH_ROUTES: "1", QUOTA_KEY_PREFIX: keyPrefix },
      afterMigrate: async (backend) => {
        const t0 = performance.now();
        tableRows = await loadDataset(backend, size);
        datasetMs = performance.now() - t0;
        log(`dataset: ${JSON.stringify(tableRows)} in ${(datasetMs / 1000).toFixed(1)} s`);
      },
    });
    if (!stack.upstashEndpoint.connected) throw new Error(`Redis at ${redisUrl} is unreachable`);
    const s = stack;
    const a = s.authorizer!;
    const tokenFor = (tenant: number, user: number) =>
      mintWithPrivateJwks(a.privateJwks() as PrivateKeySet, a.url, a.clientId, { sub: `auth-t${tenant}-${user}` });

    // Tenants spread over the range (the dataset interleaves them), each with its own API key.
    const tenants: Tenant[] = [];
    for (let i = 0; i < opts.tenantCount; i++) {
      const c = Math.floor((i * size.tenants) / opts.tenantCount);
      const clientId = `t${c}`;
      const key = await generateApiKey();
      await queryRows(
        s.backend,
        `insert into api_keys (id, "clientId", name, prefix, "keyHash", scopes, "updatedAt")
         values ($1, $2, 'bench', $3, $4, $5, now())`,
        [`bench_key_${c}`, clientId, key.prefix, key.hash, ["executions:write", "quota:use"]],
      );
      tenants.push({
        clientId,
        userId: `${clientId}_u0`,
        token: await tokenFor(c, 0),
        apiKey: key.key,
        workflowId: `${clientId}_w1`,
        unlimitedAccount: `${clientId}_a0`,
        limitedAccount: `${clientId}_a1`,
        blockedAccount: `${clientId}_a2`,
      });
    }
    await queryRows(s.backend, `update ad_accounts set "apiCallsLimit" = $1 where id = any($2)`, [
      UNLIMITED,
      tenants.map((t) => t.unlimitedAccount),
    ]);
    const serverVersion = (await queryRows<{ v: string }>(s.backend, "select current_setting('server_version') as v"))[0]?.v ?? "?";
    return { stack: s, size, tenants, datasetMs, tableRows, serverVersion, redisUrl, tokenFor, close: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

// --- requests -------------------------------------------------------------------------------------

export interface Answer {
  status: number;
  ms: number;
  body: string;
}

/** One request, timed from the call to the last byte of the body. */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const body = await res.text();
  return { status: res.status, ms: performance.now() - t0, body };
}

let sequence = 0;
/** A request id the Worker accepts and echoes (and sends with its SQL requests, counted per id). */
export const requestId = (label: string) =>
  `${label}-${process.pid}-${(sequence++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export const bearer = (credential: string) => ({ Authorization: `Bearer ${credential}` });
export const jsonHeaders = (credential?: string) => ({ "content-type": "application/json", ...(credential ? bearer(credential) : {}) });

/**
 * What an n8n workflow's final HTTP Request node posts about a finished run (API status, so the
 * bench's raw route can take the same body as is): timings, a small input and output, counters.
 */
export function executionReport(workflowId: string, executionId: string): Record<string, unknown> {
  const stoppedAt = new Date();
  const startedAt = new Date(stoppedAt.getTime() - 42_000);
  return {
    executionId,
    workflowId,
    status: "SUCCESS",
    mode: "trigger",
    startedAt: startedAt.toISOString(),
    stoppedAt: stoppedAt.toISOString(),
    apiCallsUsed: 12,
    dataProcessed: 340,
    input: { campaignIds: ["120210000000001", "120210000000002"], datePreset: "last_7d" },
    output: {
      rows: Array.from({ length: 10 }, (_, i) => ({
        campaignId: `12021000000000${i}`,
        spend: 100 + i,
        impressions: 1000 * i,
        clicks: 10 * i,
      })),
    },
  };
}

// --- the closed loop ------------------------------------------------------------------------------

/** A request the loop sends; `expected` statuses are not errors (e.g. the quota's 429). */
export interface Job {
  kind: string;
  run(): Promise<Answer>;
  ok(status: number): boolean;
  expected?(status: number): boolean;
}

export interface KindResult {
  requests: number;
  ok: number;
  expected: number;
  errors: number;
  statuses: Record<string, number>;
  latencyMs: Summary;
  /** A few error answers, for the report (status and the start of the body). */
  errorSamples: string[];
}

export interface LoopResult {
  concurrency: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  errors: number;
  latencyMs: Summary;
  byKind: Record<string, KindResult>;
  loadAverage: { before: number; after: number };
}

/** `concurrency` workers, each sending `next(worker)`'s job until `seconds` have passed. */
export async function closedLoop(opts: { concurrency: number; seconds: number; next: (worker: number) => Job }): Promise<LoopResult> {
  const before = load1();
  const byKind = new Map<string, { samples: number[]; result: KindResult }>();
  const all: number[] = [];
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  const worker = async (w: number) => {
    while (performance.now() < deadline) {
      const job = opts.next(w);
      let answer: Answer;
      try {
        answer = await job.run();
      } catch (err) {
        answer = { status: 0, ms: 0, body: `fetch failed: ${(err as Error).message} ${String((err as Error).cause ?? "")}` };
      }
      let entry = byKind.get(job.kind);
      if (!entry) {
        entry = {
          samples: [],
          result: { requests: 0, ok: 0, expected: 0, errors: 0, statuses: {}, latencyMs: summarize([]), errorSamples: [] },
        };
        byKind.set(job.kind, entry);
      }
      const r = entry.result;
      r.requests++;
      r.statuses[answer.status] = (r.statuses[answer.status] ?? 0) + 1;
      if (job.ok(answer.status)) r.ok++;
      else if (job.expected?.(answer.status)) r.expected++;
      else {
        r.errors++;
        if (r.errorSamples.length < 5) r.errorSamples.push(`${answer.status} ${answer.body.slice(0, 300)}`);
      }
      if (answer.status !== 0) {
        entry.samples.push(answer.ms);
        all.push(answer.ms);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  const kinds: Record<string, KindResult> = {};
  let requests = 0;
  let errors = 0;
  for (const [kind, { samples, result }] of [...byKind.entries()].sort()) {
    result.latencyMs = summarize(samples);
    kinds[kind] = result;
    requests += result.requests;
    errors += result.errors;
  }
  return {
    concurrency: opts.concurrency,
    seconds: round(seconds, 1),
    requests,
    requestsPerSecond: round(requests / seconds, 1),
    errors,
    latencyMs: summarize(all),
    byKind: kinds,
    loadAverage: { before, after: load1() },
  };
}
