// Issue 11's budget, read from Postgres itself: the local SQL endpoint runs each SQL-over-HTTP
// request as exactly one transaction and nothing else, so Postgres's own count of committed and
// rolled-back transactions (pg_stat_database) moves by as many requests as the endpoint counted,
// give or take what the server does on its own (session start-ups, autovacuum visits): a warm API
// call is one transaction on the server, whatever the endpoint says.
// Real Postgres only (PGlite has no statistics collector). A private stack on its own scratch
// database, autovacuum off there, read from another database, so nothing else moves the counters.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../ops/backend.js";
import { seedCaller, startPrivateStack, type PrivateStack } from "../support/private-stack.js";

const serverUrl = process.env.TEST_DATABASE_URL;

describe.runIf(Boolean(serverUrl))("transactions per API call, from pg_stat_database", () => {
  let own: PrivateStack;
  let stats: pg.Client;
  let token: string;

  beforeAll(async () => {
    own = await startPrivateStack("xacts");
    ({ token } = await seedCaller(own.stack, { label: "Xacts" }));
    // No autovacuum or autoanalyze transactions in the scratch database while counting.
    const tables = await queryRows<{ name: string }>(
      own.stack.backend,
      `select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname in ('public', 'drizzle')`,
    );
    for (const { name } of tables) await queryRows(own.stack.backend, `alter table ${name} set (autovacuum_enabled = false)`);
    stats = new pg.Client({ connectionString: serverUrl });
    stats.on("error", () => {});
    await stats.connect();
  }, 180_000);

  afterAll(async () => {
    await stats?.end();
    await own?.stop();
  });

  /**
   * Committed + rolled-back transactions of the scratch database, once every backend has flushed.
   * Postgres 15 backends flush their counters when idle, but no more than once a second; what they
   * hold back is flushed after 10 s of idleness (PGSTAT_IDLE_INTERVAL). So: 11 s of quiet, then two
   * reads that must agree.
   */
  async function settled(): Promise<{ transactions: number; sessions: number }> {
    const read = async () => {
      const { rows } = await stats.query<{ transactions: string; sessions: string }>(
        "select xact_commit + xact_rollback as transactions, sessions from pg_stat_database where datname = $1",
        [own.databaseName],
      );
      return { transactions: Number(rows[0]?.transactions ?? 0), sessions: Number(rows[0]?.sessions ?? 0) };
    };
    await new Promise((r) => setTimeout(r, 11_000));
    const first = await read();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await read(), "pg_stat_database settled").toEqual(first);
    return first;
  }

  const me = async () => {
    const res = await fetch(`${own.stack.worker.url}/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    return res.status;
  };

  it("moves by one transaction per SQL-over-HTTP request the endpoint counted (warm calls)", async () => {
    expect(await me()).toBe(200); // warm: the principal is cached, the pool's connections are open
    const before = await settled();
    own.stack.sqlEndpoint.resetStats();
    const calls = 20;
    for (let i = 0; i < calls; i++) expect(await me()).toBe(200);
    const requests = own.stack.sqlEndpoint.stats().requests;
    const after = await settled();
    expect(requests).toBe(calls);
    // The endpoint's pool closes connections idle for 10 s, so the calls may open a new one; a new
    // session's start-up commits one catalog transaction of its own (counted in `sessions`). An
    // autovacuum worker visiting the database (the launcher visits every database in turn, whatever
    // the tables' settings) also commits one, not counted anywhere else: at most a couple in the
    // window. Twice the transactions per request would be `calls` more, far outside that slack.
    const startups = after.sessions - before.sessions;
    expect(startups).toBeLessThanOrEqual(2);
    const perApi = after.transactions - before.transactions - startups;
    expect(perApi).toBeGreaterThanOrEqual(requests);
    expect(perApi).toBeLessThanOrEqual(requests + 2);
  }, 120_000);
});
