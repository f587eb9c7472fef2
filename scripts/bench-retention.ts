// npm run bench:retention — the retention job against a table of 1,000,000 execution logs on a real
// Postgres (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres; a scratch
// database is created and dropped). The job runs for real in workerd, through
// POST /v1/admin/jobs/retention/run with the default budget, repeated until a run finishes
// without stopping on its budget, as successive cron triggers would.
//
// Data (set-based, generate_series): 100 tenants, one per tier in turn (FREE 7 days, BASIC 30,
// PRO 90, ENTERPRISE 365); 10,000 executions each. 15% of rows are older than their tenant's
// retention — 140,000 terminal (to delete) and 10,000 RUNNING (to keep) — and 10,000 reports point
// at rows to delete (their link must become null). Figures only: nothing here asserts a timing.
import { createScratchDatabase, queryRows } from "../ops/backend.js";
import type { PrivateKeySet } from "../dev/authorizer/index.js";
import { mintWithPrivateJwks } from "../dev/authorizer/index.js";
import { startLocalStack } from "../dev/stack.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const TENANTS = 100;
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const say = (line: string) => console.log(`[bench:retention] ${line}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const started = performance.now();
const scratch = await createScratchDatabase(serverUrl, "retentionbench");
const stack = await startLocalStack({ backend: { databaseUrl: scratch.url }, logLevel: "none" }).catch(async (err) => {
  await scratch.drop();
  throw err;
});
const run = (sql: string) => queryRows(stack.backend, sql);

try {
  let t0 = performance.now();
  // Tenant c's tier and retention: c % 4 = 0 FREE 7, 1 BASIC 30, 2 PRO 90, 3 ENTERPRISE 365.
  await run(`insert into clients (id, name, slug, tier, "updatedAt")
    select 'bc' || c, 'Bench ' || c, 'bench-' || c, (array['FREE','BASIC','PRO','ENTERPRISE'])[1 + c % 4]::"SubscriptionTier", now()
    from generate_series(1, ${TENANTS}) c`);
  await run(`insert into users (id, "authorizerId", email, role, "clientId", "updatedAt")
    select 'bu' || c, 'auth-bu' || c, 'bu' || c || '@bench.test', 'ADMIN', 'bc' || c, now() from generate_series(1, ${TENANTS}) c`);
  await run(`insert into users (id, "authorizerId", email, role, "clientId", "updatedAt")
    values ('bench_root', 'auth-bench-root', 'root@bench.test', 'SUPER_ADMIN', null, now())`);
  await run(`insert into workflows (id, name, "clientId", "createdBy", "updatedAt")
    select 'bw' || c, 'Bench workflow', 'bc' || c, 'bu' || c, now() from generate_series(1, ${TENANTS}) c`);
  // Row g: tenant 1 + g % 100; "old" when (g / 100) % 100 < 15 (15%), of which 1 in 15 RUNNING.
  await run(`insert into execution_logs (id, status, "startedAt", "completedAt", duration, "clientId", "workflowId")
    select 'be' || g,
      (case when (g / 100) % 100 = 0 then 'RUNNING' else 'SUCCESS' end)::"ExecutionStatus",
      s.started, s.started + interval '1 minute', 60000, 'bc' || t.c, 'bw' || t.c
    from generate_series(1, ${ROWS}) g
    cross join lateral (select 1 + g % ${TENANTS} as c) t
    cross join lateral (select case t.c % 4 when 0 then 7 when 1 then 30 when 2 then 90 else 365 end as days) r
    cross join lateral (select (now() at time zone 'utc') - case
        when (g / 100) % 100 < 15 then make_interval(days => r.days + 1 + (g % 30))
        else make_interval(secs => (g % 997) / 997.0 * (r.days - 1) * 86400) end as started) s`);
  await run(`insert into reports (id, title, "periodStart", "periodEnd", content, recipients, "clientId", "userId", "executionLogId", "updatedAt")
    select 'br' || g, 'Bench report', now() - interval '7 days', now(), '# Bench', '["a@bench.test"]', e."clientId", 'bu' || substr(e."clientId", 3), e.id, now()
    from (select row_number() over () as g, id, "clientId" from execution_logs
          where status <> 'RUNNING' and id in (select 'be' || g from generate_series(1, ${ROWS}) g where (g / 100) % 100 between 1 and 14 and g % 14 = 0)
          limit 10000) e`);
  await run(`analyze`);
  const [counts] = await run(`select count(*)::int as total,
      count(*) filter (where e.status <> 'RUNNING' and e."startedAt" < (now() at time zone 'utc') - make_interval(days => case c.tier when 'FREE' then 7 when 'BASIC' then 30 when 'PRO' then 90 else 365 end))::int as expired
    from execution_logs e join clients c on c.id = e."clientId"`);
  say(`generated ${JSON.stringify(counts)} execution logs (+ 10000 linked reports) in ${seconds(performance.now() - t0)}`);

  const a = stack.authorizer!;
  const token = await mintWithPrivateJwks(a.privateJwks() as PrivateKeySet, a.url, a.clientId, { sub: "auth-bench-root" });
  const runs: { rowsChanged: number; batches: number; durationMs: number; slowestRoundTripMs: number; stoppedOnBudget: boolean }[] = [];
  t0 = performance.now();
  for (;;) {
    const res = await fetch(`${stack.worker.url}/v1/admin/jobs/retention/run`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { data: (typeof runs)[number] };
    if (res.status !== 200) throw new Error(`retention run answered ${res.status}: ${JSON.stringify(body)}`);
    runs.push(body.data);
    say(
      `run ${runs.length}: ${body.data.rowsChanged} rows in ${body.data.batches} statements, ${body.data.durationMs} ms, slowest ${body.data.slowestRoundTripMs} ms${body.data.stoppedOnBudget ? ", stopped on budget" : ""}`,
    );
    if (!body.data.stoppedOnBudget) break;
    if (runs.length > 100) throw new Error("retention is not converging");
  }
  const wallMs = performance.now() - t0;
  const deleted = runs.reduce((n, r) => n + r.rowsChanged, 0);
  const jobMs = runs.reduce((n, r) => n + r.durationMs, 0);
  const [after] = await run(`select count(*)::int as remaining,
      count(*) filter (where status = 'RUNNING')::int as running,
      (select count(*)::int from reports) as reports,
      (select count(*)::int from reports where "executionLogId" is null) as "reportsUnlinked"
    from execution_logs`);
  console.log(
    JSON.stringify(
      {
        backend: stack.backend.label,
        rows: counts,
        runs: runs.length,
        deleted,
        statements: runs.reduce((n, r) => n + r.batches, 0),
        rowsPerSecond: Math.round(deleted / (jobMs / 1000)),
        rowsPerSecondWallClock: Math.round(deleted / (wallMs / 1000)),
        totalSeconds: +(wallMs / 1000).toFixed(1),
        longestStatementMs: Math.max(...runs.map((r) => r.slowestRoundTripMs)),
        after,
      },
      null,
      2,
    ),
  );
} finally {
  await stack.stop();
  await scratch.drop();
  say(`done in ${seconds(performance.now() - started)}`);
}
