// npm run bench — the figures the design budgets speak of (issue 11), measured on this machine:
//   bundle: the Worker's minified and gzipped size (wrangler's own dry-run bundle) against its
//   budget, and its largest contributors by package (wrangler's esbuild metafile);
//   endpoint families: the real Worker (workerd) on the local stack, in front of a scratch database
//   on a real Postgres loaded with bench:db's dataset (1M executions, 200 tenants; BENCH_SCALE) and a
//   real Redis: p50/p95/p99, SQL-over-HTTP and Upstash requests per call, and the overhead ratio
//   against the bench-only raw route that issues the same statements (src/routes/bench);
//   sustained webhook ingestion at concurrency 32; cold start of the Worker and of authentication.
// Figures only: nothing here asserts a timing (CI does not run it). scripts/lib/load.ts has the
// stack and the load generator, shared with `npm run load`.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { cpus, release, totalmem } from "node:os";
import { queryRows } from "../ops/backend.js";
import { repoRoot, startWorker } from "../dev/worker.js";
import {
  bearer,
  closedLoop,
  executionReport,
  jsonHeaders,
  load1,
  median,
  requestId,
  round,
  send,
  startBenchStack,
  summarize,
  UNLIMITED,
  type Answer,
  type BenchStack,
  type Tenant,
} from "./lib/load.js";

/** Timed requests per run and per side (endpoint, raw), runs per family, untimed warm-up pairs. */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 150);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const WARMUP = 30;
const SUSTAINED_SECONDS = Number(process.env.BENCH_SUSTAINED_SECONDS ?? 25);
const CONCURRENCY = 32;
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 3);
/** The budget of issue 11: endpoint p50 / raw p50. */
const RATIO_BUDGET = 1.25;
const PAGE = 50;
const STATS_DAYS = 30;

/** The bundle budget (ARCHITECTURE): gzipped Worker script. */
const BUNDLE_BUDGET_GZIP_KIB = 300;
const TOP_CONTRIBUTORS = 12;

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

/** node_modules/<pkg> or node_modules/@scope/<pkg> → the package; anything else → its top folder (src, drizzle…). */
function contributorOf(input: string): string {
  const parts = input.split("/");
  const nm = parts.lastIndexOf("node_modules");
  if (nm >= 0) return parts[nm + 1]?.startsWith("@") ? `${parts[nm + 1]}/${parts[nm + 2]}` : (parts[nm + 1] ?? input);
  const own = parts.findIndex((p) => p === "src" || p === "drizzle");
  return own >= 0 ? `(project) ${parts[own]}/` : input;
}

function bundleSize() {
  const outdir = mkdtempSync(join(tmpdir(), "bench-bundle-"));
  try {
    const wrangler = join(repoRoot, "node_modules", "wrangler", "bin", "wrangler.js");
    const metafile = join(outdir, "meta.json");
    execFileSync(process.execPath, [wrangler, "deploy", "--dry-run", "--minify", "--outdir", outdir, "--metafile", metafile], {
      cwd: repoRoot,
      stdio: "ignore",
    });
    const code = readFileSync(join(outdir, "index.js"));
    const gzipKiB = +(gzipSync(code, { level: 9 }).length / 1024).toFixed(1);
    const meta = JSON.parse(readFileSync(metafile, "utf8")) as Metafile;
    const output = Object.entries(meta.outputs).find(([path]) => path.endsWith("index.js"))?.[1];
    const byContributor = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
      const key = contributorOf(input);
      byContributor.set(key, (byContributor.get(key) ?? 0) + bytesInOutput);
    }
    const largest = [...byContributor.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_CONTRIBUTORS)
      .map(([name, bytes]) => ({ name, minifiedKiB: +(bytes / 1024).toFixed(1), share: `${((100 * bytes) / code.length).toFixed(1)}%` }));
    return {
      minifiedKiB: +(code.length / 1024).toFixed(1),
      gzipKiB,
      budget: `≤ ${BUNDLE_BUDGET_GZIP_KIB} KiB gzip: ${gzipKiB <= BUNDLE_BUDGET_GZIP_KIB ? "within" : "OVER"} (${((100 * gzipKiB) / BUNDLE_BUDGET_GZIP_KIB).toFixed(0)}% used)`,
      // Minified bytes each package puts in the script (esbuild's bytesInOutput), before gzip.
      largestContributors: largest,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

// --- endpoint families ---------------------------------------------------------------------------

interface Family {
  name: string;
  /** The API request, and the bench-only route that issues the same statements with nothing around them. */
  endpoint(id: string): Promise<Answer>;
  raw(id: string): Promise<Answer>;
  /** The status every call of this family must get (anything else is an error, counted). */
  status: number;
}

function families(api: string, t: Tenant): Family[] {
  const scope = `clientId=${t.clientId}&userId=${t.userId}`;
  const get = (path: string, id: string, credential?: string) =>
    send(`${api}${path}`, { headers: { "X-Request-Id": id, ...(credential ? bearer(credential) : {}) } });
  const post = (path: string, id: string, body: unknown, credential?: string) =>
    send(`${api}${path}`, {
      method: "POST",
      headers: { "X-Request-Id": id, ...jsonHeaders(credential) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return [
    { name: "me", status: 200, endpoint: (id) => get("/v1/me", id, t.token), raw: (id) => get(`/__bench/me?${scope}`, id) },
    {
      name: `list executions (limit ${PAGE})`,
      status: 200,
      endpoint: (id) => get(`/v1/executions?limit=${PAGE}`, id, t.token),
      raw: (id) => get(`/__bench/executions?${scope}&limit=${PAGE}`, id),
    },
    {
      name: `workflow stats (${STATS_DAYS} days)`,
      status: 200,
      endpoint: (id) => get(`/v1/workflows/${t.workflowId}/stats?days=${STATS_DAYS}`, id, t.token),
      raw: (id) => get(`/__bench/stats?${scope}&workflowId=${t.workflowId}&days=${STATS_DAYS}`, id),
    },
    {
      name: "webhook ingest (new execution)",
      status: 201,
      endpoint: (id) => post("/v1/webhooks/n8n/executions", id, executionReport(t.workflowId, `fam-${id}`), t.apiKey),
      raw: (id) => post(`/__bench/ingest?clientId=${t.clientId}`, id, executionReport(t.workflowId, `fam-${id}`)),
    },
    {
      name: "quota acquire (granted)",
      status: 200,
      endpoint: (id) => post(`/v1/ad-accounts/${t.unlimitedAccount}/quota/acquire`, id, { cost: 1 }, t.apiKey),
      raw: (id) => post(`/__bench/acquire?adAccountId=${t.unlimitedAccount}&limit=${UNLIMITED}`, id, { cost: 1 }),
    },
    {
      name: "quota acquire while blocked",
      status: 429,
      endpoint: (id) => post(`/v1/ad-accounts/${t.blockedAccount}/quota/acquire`, id, { cost: 1 }, t.apiKey),
      raw: (id) => post(`/__bench/acquire?adAccountId=${t.blockedAccount}`, id, { cost: 1 }),
    },
  ];
}

/** A Meta usage report over the threshold: the account is blocked for an hour (in Redis and in the isolate). */
async function block(api: string, t: Tenant): Promise<void> {
  const res = await send(`${api}/v1/ad-accounts/${t.blockedAccount}/quota/usage`, {
    method: "POST",
    headers: jsonHeaders(t.apiKey),
    body: JSON.stringify({ headers: { "x-ad-account-usage": JSON.stringify({ acc_id_util_pct: 99, reset_time_duration: 3600 }) } }),
  });
  if (res.status !== 200 || !JSON.parse(res.body).data.blockedUntil)
    throw new Error(`blocking the account failed: ${res.status} ${res.body}`);
}

interface Side {
  samples: number[];
  sql: number;
  upstash: number;
  errors: string[];
}

/**
 * Endpoint and raw calls alternate one by one (ABBA order), so the machine's noise falls on both
 * alike; each run gives a ratio of medians, and the family's ratio is the median of the runs'.
 * Calls are sequential, so the Upstash endpoint's request count before and after a call is that
 * call's; SQL requests are counted per request id by the SQL endpoint.
 */
async function measure(b: BenchStack, f: Family) {
  const { sqlEndpoint, upstashEndpoint } = b.stack;
  const call = async (side: Side, fn: (id: string) => Promise<Answer>, timed: boolean) => {
    const id = requestId("bench");
    const upstashBefore = upstashEndpoint.stats().requests;
    const answer = await fn(id);
    if (!timed) return;
    side.upstash += upstashEndpoint.stats().requests - upstashBefore;
    side.sql += sqlEndpoint.requestsFor(id);
    side.samples.push(answer.ms);
    if (answer.status !== f.status && side.errors.length < 5) side.errors.push(`${answer.status} ${answer.body.slice(0, 200)}`);
    else if (answer.status !== f.status) side.errors.push("");
  };
  const fresh = (): Side => ({ samples: [], sql: 0, upstash: 0, errors: [] });
  const endpoint = fresh();
  const raw = fresh();
  for (let i = 0; i < WARMUP; i++) {
    await call(endpoint, f.endpoint, false);
    await call(raw, f.raw, false);
  }
  const ratios: number[] = [];
  const loads: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const e = fresh();
    const w = fresh();
    for (let i = 0; i < REQUESTS; i++) {
      if (i % 2 === 0) {
        await call(e, f.endpoint, true);
        await call(w, f.raw, true);
      } else {
        await call(w, f.raw, true);
        await call(e, f.endpoint, true);
      }
    }
    ratios.push(median(e.samples) / median(w.samples));
    loads.push(load1());
    for (const [all, run] of [
      [endpoint, e],
      [raw, w],
    ] as const) {
      all.samples.push(...run.samples);
      all.sql += run.sql;
      all.upstash += run.upstash;
      all.errors.push(...run.errors);
    }
  }
  const report = (s: Side) => ({
    latencyMs: summarize(s.samples),
    sqlPerCall: round(s.sql / s.samples.length, 3),
    upstashPerCall: round(s.upstash / s.samples.length, 3),
    errors: s.errors.length,
    ...(s.errors.some(Boolean) ? { errorSamples: s.errors.filter(Boolean) } : {}),
  });
  const ratio = round(median(ratios), 2);
  return {
    family: f.name,
    expectedStatus: f.status,
    endpoint: report(endpoint),
    raw: report(raw),
    overheadRatio: ratio,
    ratioPerRun: ratios.map((x) => round(x, 2)),
    budget: `≤ ${RATIO_BUDGET}: ${ratio <= RATIO_BUDGET ? "within" : "OVER"}`,
    loadAverage: loads,
  };
}

// --- sustained ingestion ---------------------------------------------------------------------------

async function sustainedIngest(b: BenchStack, api: string) {
  let n = 0;
  const run = `sus${Date.now().toString(36)}`;
  const result = await closedLoop({
    concurrency: CONCURRENCY,
    seconds: SUSTAINED_SECONDS,
    next: () => {
      const t = b.tenants[n % b.tenants.length]!;
      const executionId = `${run}-${n++}`;
      return {
        kind: "ingest",
        run: () =>
          send(`${api}/v1/webhooks/n8n/executions`, {
            method: "POST",
            headers: jsonHeaders(t.apiKey),
            body: JSON.stringify(executionReport(t.workflowId, executionId)),
          }),
        ok: (status) => status === 201,
      };
    },
  });
  // Every 201 is a stored row, exactly once.
  const [stored] = await queryRows<{ n: number }>(
    b.stack.backend,
    `select count(*)::int as n from execution_logs where "n8nExecutionId" like $1`,
    [`${run}-%`],
  );
  return { ...result, created: result.byKind.ingest?.ok ?? 0, rowsStored: stored?.n ?? 0 };
}

// --- cold start ------------------------------------------------------------------------------------

/**
 * A second Worker (fresh workerd process, fresh isolate) on the same stack: the time from starting
 * it (wrangler's bundling included) to its first answered request, then on that cold isolate the
 * first authenticated request (JWKS fetch + principal lookup + the endpoint's batch) and the same
 * request warm; then a second person on the same isolate (JWKS cached, principal not) and warm.
 */
async function coldStart(b: BenchStack) {
  const t = b.tenants[0]!;
  const c = Number(t.clientId.slice(1));
  const other = await b.tokenFor(c, 1);
  interface Timed {
    ms: number;
    sql: number;
  }
  const runs: {
    readyMs: number;
    firstAnsweredMs: number;
    firstRequestMs: number;
    coldAuth: Timed;
    warmAuth: Timed;
    coldPrincipal: Timed;
    warmPrincipal: Timed;
    loadAverage: number;
  }[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const t0 = performance.now();
    const worker = await startWorker({ vars: b.stack.vars, logLevel: "none" });
    const readyMs = performance.now() - t0;
    try {
      const first = await send(`${worker.url}/health`);
      const firstAnsweredMs = performance.now() - t0;
      if (first.status !== 200) throw new Error(`GET /health answered ${first.status}`);
      const me = async (token: string) => {
        const id = requestId("cold");
        const res = await send(`${worker.url}/v1/me`, { headers: { ...bearer(token), "X-Request-Id": id } });
        if (res.status !== 200) throw new Error(`GET /v1/me answered ${res.status} ${res.body}`);
        return { ms: round(res.ms), sql: b.stack.sqlEndpoint.requestsFor(id) };
      };
      const coldAuth = await me(t.token);
      const warmAuth = await me(t.token);
      const coldPrincipal = await me(other);
      const warmPrincipal = await me(other);
      runs.push({
        readyMs: round(readyMs, 0),
        firstAnsweredMs: round(firstAnsweredMs, 0),
        firstRequestMs: round(first.ms),
        coldAuth,
        warmAuth,
        coldPrincipal,
        warmPrincipal,
        loadAverage: load1(),
      });
    } finally {
      await worker.stop();
    }
  }
  const wranglerDev: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const dev = await spawnWranglerDev(b.stack.vars);
    wranglerDev.push(round(dev.ms, 0));
    await dev.stop();
  }
  const med = (pick: (r: (typeof runs)[number]) => number) => round(median(runs.map(pick)));
  return {
    starts: runs.length,
    wranglerDevProcessToFirstAnswerMs: wranglerDev,
    median: {
      wranglerDevProcessToFirstAnswerMs: round(median(wranglerDev), 0),
      startWorkerApiToFirstAnswerMs: med((r) => r.firstAnsweredMs),
      ofWhichStartWorkerReadyMs: med((r) => r.readyMs),
      firstAuthenticatedColdIsolateMs: med((r) => r.coldAuth.ms),
      sameRequestWarmMs: med((r) => r.warmAuth.ms),
      newPrincipalWarmJwksMs: med((r) => r.coldPrincipal.ms),
      newPrincipalWarmMs: med((r) => r.warmPrincipal.ms),
    },
    runs,
  };
}

/**
 * `wrangler dev` as a process of its own (Node, wrangler, bundling, workerd) in front of the stack's
 * endpoints, the Worker's settings in a throw-away env file (0600, never on the command line),
 * polled every 20 ms until GET /health answers. `ms`: from the spawn to that first answer. `stop`
 * ends the process group (wrangler and its workerd processes).
 */
async function spawnWranglerDev(vars: Record<string, string>): Promise<{ url: string; ms: number; stop(): Promise<void> }> {
  const freePort = async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  };
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), "bench-wrangler-"));
  const envFile = join(dir, "worker.env");
  writeFileSync(
    envFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}\n`)
      .join(""),
    { mode: 0o600 },
  );
  const wrangler = join(repoRoot, "node_modules", "wrangler", "bin", "wrangler.js");
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [wrangler, "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--env-file", envFile],
    { cwd: repoRoot, stdio: "ignore", detached: true, env: { ...process.env, WRANGLER_LOG: "none" } },
  );
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    while (performance.now() - t0 < 120_000) {
      const status = await fetch(`${url}/health`).then(
        (res) => res.arrayBuffer().then(() => res.status),
        () => 0,
      );
      if (status === 200) return { url, ms: performance.now() - t0, stop };
      if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("wrangler dev did not answer within 120 s");
  } catch (err) {
    await stop();
    throw err;
  }
}

// --- main ------------------------------------------------------------------------------------------

const skip = (part: string) => process.argv.includes(`--no-${part}`);
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)} load ${load1()}] ${line}`);
const started = performance.now();
const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    kernel: release(),
    node: process.version,
  },
  settings: { requestsPerRun: REQUESTS, runs: RUNS, warmup: WARMUP, sustainedSeconds: SUSTAINED_SECONDS, concurrency: CONCURRENCY },
};
if (!skip("bundle")) {
  log("bundle");
  report.bundle = bundleSize();
}
log("stack + dataset");
const b = await startBenchStack({ tenantCount: 16, log });
let own: Awaited<ReturnType<typeof spawnWranglerDev>> | undefined;
try {
  report.dataset = {
    ...b.tableRows,
    loadSeconds: round(b.datasetMs / 1000, 1),
    postgres: b.serverVersion,
    redis: b.stack.upstashEndpoint.store,
  };
  // BENCH_WORKER=process: measure a Worker in a `wrangler dev` process of its own, so wrangler's
  // handling of the Worker's log lines does not share the load generator's event loop.
  own = process.env.BENCH_WORKER === "process" ? await spawnWranglerDev(b.stack.vars) : undefined;
  const api = own?.url ?? b.stack.worker.url;
  report.worker = own ? "wrangler dev, own process" : "startWorker, in the bench process";
  const t = b.tenants[0]!;
  await block(api, t);
  const results = [];
  // BENCH_FAMILIES=quota,me: only the families whose name contains one of these words.
  const only = process.env.BENCH_FAMILIES?.split(",").map((w) => w.trim().toLowerCase());
  for (const f of families(api, t).filter((f) => !only || only.some((w) => f.name.toLowerCase().includes(w)))) {
    log(`family: ${f.name}`);
    results.push(await measure(b, f));
  }
  report.families = results;
  if (!skip("sustained")) {
    log(`sustained ingestion, concurrency ${CONCURRENCY}, ${SUSTAINED_SECONDS} s`);
    report.sustainedIngest = await sustainedIngest(b, api);
  }
  if (!skip("cold")) {
    log("cold starts");
    report.coldStart = await coldStart(b);
  }
} finally {
  await own?.stop();
  await b.close();
}
console.log(JSON.stringify(report, null, 2));
// One line per family, ready for bench/RESULTS.md.
for (const f of (report.families ?? []) as Awaited<ReturnType<typeof measure>>[]) {
  const e = f.endpoint;
  console.log(
    `| ${f.family} | ${e.latencyMs.n} | ${e.latencyMs.p50} / ${e.latencyMs.p95} / ${e.latencyMs.p99} | ${f.raw.latencyMs.p50} / ${f.raw.latencyMs.p95} / ${f.raw.latencyMs.p99} | ${e.sqlPerCall} (raw ${f.raw.sqlPerCall}) | ${e.upstashPerCall} (raw ${f.raw.upstashPerCall}) | **${f.overheadRatio}** (${f.ratioPerRun.join(", ")}) | ${f.budget} | ${e.errors} |`,
  );
}
console.log(`bench done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
