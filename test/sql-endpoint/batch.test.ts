// A batch body (`sql.transaction([...])`) runs as one transaction, with the requested modes.
import { neon, neonConfig, type NeonQueryFunction } from "@neondatabase/serverless";
import { afterAll, beforeAll, expect, test } from "vitest";
import { execScript } from "../../ops/backend.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
let sql: NeonQueryFunction<false, false>;

beforeAll(async () => {
  h = await startHarness("sqlep_batch");
  neonConfig.fetchEndpoint = h.endpoint.url;
  sql = neon(h.connectionString);
  await execScript(h.tb.backend, "create table notes (id int primary key, body text)");
});
afterAll(() => h?.close());

test("a batch whose second statement fails leaves nothing of the first", async () => {
  await sql`insert into notes values (1, 'existing')`;
  const err = await sql
    .transaction([sql`insert into notes values (2, 'new')`, sql`insert into notes values (1, 'duplicate')`])
    .catch((e: unknown) => e);
  expect(err).toMatchObject({ code: "23505" });
  expect(await sql`select id from notes order by id`).toEqual([{ id: 1 }]);
});

test("a batch's statements see each other's writes and return one result each", async () => {
  const [inserted, counted, updated] = await sql.transaction([
    sql`insert into notes values (10, 'a'), (11, 'b') returning id`,
    sql`select count(*)::int as n from notes where id >= 10`,
    sql`update notes set body = body || '!' where id >= 10 returning body`,
  ]);
  expect(inserted).toEqual([{ id: 10 }, { id: 11 }]);
  expect(counted).toEqual([{ n: 2 }]);
  expect(updated).toEqual([{ body: "a!" }, { body: "b!" }]);
});

test("transaction-local settings hold for the rest of the batch only", async () => {
  const [, inside] = await sql.transaction([
    sql`select set_config('app.client_id', 'c-42', true)`,
    sql`select current_setting('app.client_id', true) as v`,
  ]);
  expect(inside).toEqual([{ v: "c-42" }]);
  const after = await sql`select coalesce(current_setting('app.client_id', true), '') as v`;
  expect(after).toEqual([{ v: "" }]);
});

test("a read-only batch that writes fails with 25006 and writes nothing", async () => {
  const err = await sql.transaction([sql`select 1`, sql`insert into notes values (20, 'ro')`], { readOnly: true }).catch((e: unknown) => e);
  expect(err).toMatchObject({ code: "25006" });
  expect(await sql`select id from notes where id = 20`).toEqual([]);
});

test("isolation level, read-only and deferrable headers set the transaction's modes", async () => {
  const modes = await sql.transaction(
    [sql`show transaction_isolation`, sql`show transaction_read_only`, sql`show transaction_deferrable`],
    { isolationLevel: "Serializable", readOnly: true, deferrable: true },
  );
  expect(modes).toEqual([
    [{ transaction_isolation: "serializable" }],
    [{ transaction_read_only: "on" }],
    [{ transaction_deferrable: "on" }],
  ]);
  const repeatable = await sql.transaction([sql`show transaction_isolation`], { isolationLevel: "RepeatableRead" });
  expect(repeatable).toEqual([[{ transaction_isolation: "repeatable read" }]]);
});

test("20 concurrent requests (singles and batches) all succeed with their own results", async () => {
  await execScript(h.tb.backend, "create table hits (n int primary key)");
  const requests = Array.from({ length: 20 }, async (_, n) => {
    if (n % 2 === 0) return sql`select ${n}::int * 2 as v`.then((rows) => rows[0]!.v);
    const results = await sql.transaction([sql`insert into hits values (${n})`, sql`select n * 2 as v from hits where n = ${n}`]);
    return results[1]![0]!.v;
  });
  expect(await Promise.all(requests)).toEqual(Array.from({ length: 20 }, (_, n) => n * 2));
  expect(await sql`select count(*)::int as c from hits`).toEqual([{ c: 10 }]);
});

test("stats count round trips, statements and connection users", async () => {
  h.endpoint.resetStats();
  await sql`select 1`;
  await sql.transaction([sql`select 1`, sql`select 2`, sql`select 3`]);
  await sql.query("select 'x'::int").catch(() => undefined);
  expect(h.endpoint.stats()).toEqual({ requests: 3, queries: 5, byConnectionUser: { postgres: 3 } });
});
