// npm run load — a mixed workload against the real Worker (workerd) on the local stack, in front of a
// scratch database on a real Postgres (BENCH_DATABASE_URL's server, loaded with bench:db's dataset
// at BENCH_SCALE, default 1 = 1M executions) and a real Redis (BENCH_REDIS_URL): for LOAD_SECONDS
// (default 60) at LOAD_CONCURRENCY (default 32), a closed loop of reads (me, executions list,
// workflow stats), n8n webhook ingestion and quota acquires, spread over 16 tenants with their own
// tokens and API keys. Reports throughput, latency percentiles per kind and errors. The only
// expected refusals are the quota's 429s: acquires go to accounts with a budget of 50 points an
// hour, which the run exhausts, and to one blocked account. Afterwards it checks that every
// ingestion answered 201 is stored exactly once. Exit 1 on any error.
import { queryRows } from "../ops/backend.js";
import { bearer, closedLoop, executionReport, jsonHeaders, load1, send, startBenchStack, type Job, type Tenant } from "./lib/load.js";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 32);
const TENANTS = 16;
/** Points per hour of the accounts the load acquires from. */
const LIMITED_BUDGET = 50;

/** The mix, in shares of the requests: n8n's traffic (ingest, quota) dominates, people read. */
const MIX: { kind: string; share: number }[] = [
  { kind: "ingest", share: 40 },
  { kind: "quota acquire", share: 25 },
  { kind: "list executions", share: 15 },
  { kind: "me", share: 10 },
  { kind: "workflow stats", share: 10 },
];

const log = (line: string) => console.error(`[load ${new Date().toISOString().slice(11, 19)} load avg ${load1()}] ${line}`);

const started = performance.now();
log("stack + dataset");
const b = await startBenchStack({ tenantCount: TENANTS, log });
let failed = false;
try {
  const api = b.stack.worker.url;
  const run = `load${Date.now().toString(36)}`;
  // One blocked account (a Meta usage report over the threshold), so blocked refusals are in the mix.
  const blocker = b.tenants[0]!;
  const blocked = await send(`${api}/v1/ad-accounts/${blocker.blockedAccount}/quota/usage`, {
    method: "POST",
    headers: jsonHeaders(blocker.apiKey),
    body: JSON.stringify({ headers: { "x-ad-account-usage": JSON.stringify({ acc_id_util_pct: 99, reset_time_duration: 3600 }) } }),
  });
  if (blocked.status !== 200) throw new Error(`blocking an account failed: ${blocked.status} ${blocked.body}`);

  // A small budget on the accounts the load acquires from, so it runs out within the run: budget
  // refusals (429) are part of the mix, as they are when n8n workers share an account.
  await queryRows(b.stack.backend, `update ad_accounts set "apiCallsLimit" = $1 where id = any($2)`, [
    LIMITED_BUDGET,
    b.tenants.map((t) => t.limitedAccount),
  ]);

  // A deterministic sequence: request n is of kind MIX[(n * 7919) mod 100] on tenant n mod 16.
  const slots: string[] = MIX.flatMap((m) => Array.from({ length: m.share }, () => m.kind));
  let n = 0;
  const job = (kind: string, t: Tenant, i: number): Job => {
    const get = (path: string) => () => send(`${api}${path}`, { headers: bearer(t.token) });
    const ok200 = (s: number) => s === 200;
    switch (kind) {
      case "ingest":
        return {
          kind,
          run: () =>
            send(`${api}/v1/webhooks/n8n/executions`, {
              method: "POST",
              headers: jsonHeaders(t.apiKey),
              body: JSON.stringify(executionReport(t.workflowId, `${run}-${i}`)),
            }),
          ok: (s) => s === 201,
        };
      case "quota acquire": {
        // Mostly the tenant's default-budget account; every tenth the blocked one.
        const account = i % 10 === 0 ? blocker.blockedAccount : t.limitedAccount;
        const key = i % 10 === 0 ? blocker.apiKey : t.apiKey;
        return {
          kind,
          run: () =>
            send(`${api}/v1/ad-accounts/${account}/quota/acquire`, {
              method: "POST",
              headers: jsonHeaders(key),
              body: JSON.stringify({ cost: 1 }),
            }),
          ok: ok200,
          expected: (s) => s === 429,
        };
      }
      case "list executions":
        return { kind, run: get("/v1/executions?limit=50"), ok: ok200 };
      case "me":
        return { kind, run: get("/v1/me"), ok: ok200 };
      case "workflow stats":
        return { kind, run: get(`/v1/workflows/${t.workflowId}/stats?days=30`), ok: ok200 };
      default:
        throw new Error(`unknown kind ${kind}`);
    }
  };

  log(`mixed load: ${SECONDS} s at concurrency ${CONCURRENCY}`);
  const result = await closedLoop({
    concurrency: CONCURRENCY,
    seconds: SECONDS,
    next: () => {
      const i = n++;
      return job(slots[(i * 7919) % slots.length]!, b.tenants[i % b.tenants.length]!, i);
    },
  });
  const [stored] = await queryRows<{ n: number }>(
    b.stack.backend,
    `select count(*)::int as n, count(distinct "n8nExecutionId")::int as d from execution_logs where "n8nExecutionId" like $1`,
    [`${run}-%`],
  );
  const created = result.byKind.ingest?.ok ?? 0;
  const report = {
    date: new Date().toISOString(),
    dataset: {
      ...b.tableRows,
      loadSeconds: +(b.datasetMs / 1000).toFixed(1),
      postgres: b.serverVersion,
      redis: b.stack.upstashEndpoint.store,
    },
    mix: MIX,
    ...result,
    ingestion: { created, rowsStored: stored?.n ?? 0 },
    quota429s: result.byKind["quota acquire"]?.expected ?? 0,
  };
  console.log(JSON.stringify(report, null, 2));
  failed = result.errors > 0 || (stored?.n ?? 0) !== created;
  console.log(
    `\n${result.requests} requests in ${result.seconds} s = ${result.requestsPerSecond} req/s at concurrency ${CONCURRENCY}; ` +
      `errors ${result.errors}; expected 429s ${report.quota429s}; ingested ${created}, stored ${stored?.n ?? 0}; load average ${result.loadAverage.before} → ${result.loadAverage.after}`,
  );
  for (const [kind, r] of Object.entries(result.byKind)) {
    console.log(
      `| ${kind} | ${r.requests} | ${(r.requests / result.seconds).toFixed(1)} | ${r.latencyMs.p50} / ${r.latencyMs.p95} / ${r.latencyMs.p99} | ${JSON.stringify(r.statuses)} | ${r.errors} |`,
    );
  }
} finally {
  await b.close();
}
console.error(`load done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (failed) process.exitCode = 1;
