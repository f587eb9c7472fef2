// Measures what row-level security costs per query: EXPLAIN (ANALYZE) of a tenant's list of
// executions, run as the application role inside a tenant context, on a scratch database of a real
// Postgres (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
// Prints the plan once and the median planning/execution time over RLS_EXPLAIN_RUNS runs.
import { createScratchDatabase, execScript, openBackend, queryRows } from "../ops/backend.js";
import { ensureLocalAppRole, LOCAL_APP_ROLE } from "../dev/app-role.js";
import { migrate } from "../ops/migrate.js";
import { installTenantClaimKey, generateTenantClaimSecret } from "../ops/claim-key.js";
import { DEMO_CLIENT_IDS, seedDemo } from "../dev/demo/seed.js";
import { signTenantClaim } from "../src/db/claim.js";

const server = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const runs = Number(process.env.RLS_EXPLAIN_RUNS ?? 200);
const scratch = await createScratchDatabase(server, "rlsexplain");
const backend = await openBackend({ databaseUrl: scratch.url });
try {
  await migrate(backend);
  await ensureLocalAppRole(backend);
  await seedDemo(backend);
  // 400 demo executions → ~20k, so a per-row cost would show.
  await execScript(
    backend,
    `create temp table t as select * from execution_logs;
     do $$ begin for g in 1..50 loop
       update t set id = id || 'x', "n8nExecutionId" = "n8nExecutionId" || 'x';
       insert into execution_logs select * from t;
     end loop; end $$;
     analyze;`,
  );
  const clientId = Object.values(DEMO_CLIENT_IDS)[0] as string;
  const [{ n } = { n: "?" }] = await queryRows<{ n: string }>(backend, `select count(*) n from execution_logs where "clientId" = $1`, [
    clientId,
  ]);
  // The batch's first statement as src/db/tenant.ts sends it (with a signed claim since migration 0006).
  const [{ claims } = { claims: false }] = await queryRows<{ claims: boolean }>(
    backend,
    `select to_regprocedure('app_claimed_client()') is not null as claims`,
  );
  let claimSetting = "";
  if (claims) {
    const secret = generateTenantClaimSecret();
    await installTenantClaimKey(backend, secret);
    claimSetting = `, set_config('app.tenant_claim', '${await signTenantClaim(secret, { clientId, userId: "" })}', true)`;
  }
  const context = `select set_config('TimeZone', 'UTC', true), set_config('app.client_id', '${clientId}', true), set_config('app.user_id', '', true)${claimSetting}`;
  const queries = [
    `select * from execution_logs where "clientId" = '${clientId}' order by "startedAt" desc limit 50`,
    // Every row of the tenant passes the policy: shows whether the check is paid per row.
    `select count(*) from execution_logs where "clientId" = '${clientId}'`,
  ];
  const pool = backend.kind === "pg" ? backend.pool : undefined;
  const client = await pool!.connect();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`tenant rows: ${n}; runs per query: ${runs}`);
  const measure = async (label: string) => {
    console.log(`\n=== ${label}`);
    for (const query of queries) {
      const planning: number[] = [];
      const execution: number[] = [];
      let plan = "";
      for (let i = 0; i < runs; i++) {
        await client.query("begin");
        await client.query(`set local role ${LOCAL_APP_ROLE}`);
        await client.query(context);
        const res = await client.query(`explain (analyze, buffers) ${query}`);
        await client.query("rollback");
        const lines = res.rows.map((r: Record<string, string>) => r["QUERY PLAN"]!);
        if (i === 0) plan = lines.join("\n");
        planning.push(Number(/Planning Time: ([\d.]+)/.exec(lines.join("\n"))![1]));
        execution.push(Number(/Execution Time: ([\d.]+)/.exec(lines.join("\n"))![1]));
      }
      console.log(`\n${query}\n${plan}`);
      console.log(`median planning ${median(planning).toFixed(3)} ms, median execution ${median(execution).toFixed(3)} ms`);
    }
  };
  try {
    await measure(claims ? "policy keyed on the signed claim (migration 0006)" : "policy keyed on plain settings (migration 0005)");
    if (claims) {
      // The same data and load, with execution_logs' policy as migration 0005 wrote it.
      await execScript(
        backend,
        `CREATE FUNCTION app_tenant_visible(client_id text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
           AS $$ SELECT client_id = current_setting('app.client_id', true) OR current_setting('app.cross_tenant', true) = 'on' $$;
         GRANT EXECUTE ON FUNCTION app_tenant_visible(text) TO automation_api;
         DROP POLICY tenant_isolation ON execution_logs;
         CREATE POLICY tenant_isolation ON execution_logs TO automation_api USING (app_tenant_visible("clientId"));`,
      );
      await measure("policy keyed on plain settings (migration 0005), same database");
    }
  } finally {
    client.release();
  }
} finally {
  await backend.close();
  await scratch.drop();
}
