// Failures reach the client the way Neon reports them: database errors as HTTP 400 carrying
// Postgres' fields, size limits as 507/413, everything else as a 500 without a SQLSTATE.
import { neon, neonConfig, type NeonQueryFunction } from "@neondatabase/serverless";
import { afterAll, beforeAll, expect, test } from "vitest";
import { execScript, openBackend, queryRows } from "../../ops/backend.js";
import { startSqlEndpoint } from "../../dev/sql-endpoint/index.js";
import { startExtraEndpoint, startHarness, type Harness } from "./harness.js";

let h: Harness;
let sql: NeonQueryFunction<false, false>;

beforeAll(async () => {
  h = await startHarness("sqlep_errors");
  neonConfig.fetchEndpoint = h.endpoint.url;
  sql = neon(h.connectionString);
  await execScript(h.tb.backend, "create table items (id int primary key, name text not null)");
});
afterAll(() => h?.close());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("should fail"),
    (e: unknown) => e,
  );

test("a unique violation has code 23505 and names the constraint, table and detail", async () => {
  await sql`insert into items values (1, 'one')`;
  const err = await failure(sql`insert into items values (1, 'again')`);
  expect(err).toMatchObject({
    name: "NeonDbError",
    code: "23505",
    severity: "ERROR",
    constraint: "items_pkey",
    table: "items",
    schema: "public",
    detail: "Key (id)=(1) already exists.",
    message: 'duplicate key value violates unique constraint "items_pkey"',
  });
});

test("invalid input syntax has code 22P02 and a position", async () => {
  const err = await failure(sql.query("select 'x'::int"));
  expect(err).toMatchObject({ code: "22P02", position: "8" });
});

test("a not-null violation names the column", async () => {
  const err = await failure(sql`insert into items values (2, ${null})`);
  expect(err).toMatchObject({ code: "23502", column: "name" });
});

test("a string with several statements is rejected (42601) and none of them runs", async () => {
  const err = await failure(sql.query("insert into items values (50, 'a'); insert into items values (51, 'b')"));
  expect(err).toMatchObject({ code: "42601", message: "cannot insert multiple commands into a prepared statement" });
  expect(await sql`select id from items where id >= 50`).toEqual([]);
});

test("a response over maxResponseBytes is answered 507", async () => {
  const small = await startExtraEndpoint(h, { maxResponseBytes: 1024 });
  try {
    neonConfig.fetchEndpoint = small.url;
    const err = await failure(sql.query("select repeat('x', 2000) as big"));
    expect((err as Error).message).toBe('Server error (HTTP status 507): {"message":"response is too large (max is 1024 bytes)"}');
    expect(await sql.query("select repeat('x', 100) as ok")).toEqual([{ ok: "x".repeat(100) }]);
  } finally {
    neonConfig.fetchEndpoint = h.endpoint.url;
    await small.close();
  }
});

test("a batch whose response grows over the limit is rolled back", async () => {
  const small = await startExtraEndpoint(h, { maxResponseBytes: 1024 });
  try {
    neonConfig.fetchEndpoint = small.url;
    const err = await failure(sql.transaction([sql`insert into items values (60, 'kept?')`, sql`select repeat('x', 2000)`]));
    expect((err as Error).message).toContain("HTTP status 507");
  } finally {
    neonConfig.fetchEndpoint = h.endpoint.url;
    await small.close();
  }
  expect(await sql`select id from items where id = 60`).toEqual([]);
});

test("a request body over maxRequestBytes is answered 413", async () => {
  const small = await startExtraEndpoint(h, { maxRequestBytes: 1024 });
  try {
    neonConfig.fetchEndpoint = small.url;
    const err = await failure(sql.query("select $1::text", ["x".repeat(5000)]));
    expect((err as Error).message).toContain("HTTP status 413");
  } finally {
    neonConfig.fetchEndpoint = h.endpoint.url;
    await small.close();
  }
});

test("an unreachable database is a 500 whose error has no SQLSTATE", async () => {
  if (h.tb.backend.kind === "pg") {
    // Nothing listens on port 1: the endpoint cannot connect with this connection string.
    const unreachable = new URL(h.connectionString);
    unreachable.port = "1";
    const err = await failure(neon(unreachable.toString())`select 1`);
    expect((err as Error).message).toMatch(/^Server error \(HTTP status 500\): /);
    expect(err).toMatchObject({ code: undefined });
    return;
  }
  // PGlite: an endpoint in front of a database that has been closed.
  const backend = await openBackend({});
  const endpoint = await startSqlEndpoint({ backend });
  await backend.close();
  try {
    neonConfig.fetchEndpoint = endpoint.url;
    const err = await failure(sql`select 1`);
    expect((err as Error).message).toMatch(/^Server error \(HTTP status 500\): /);
    expect(err).toMatchObject({ code: undefined });
  } finally {
    neonConfig.fetchEndpoint = h.endpoint.url;
    await endpoint.close();
  }
});

test("after errors the endpoint and database keep working", async () => {
  await failure(sql.query("select 'x'::int"));
  await failure(sql.transaction([sql`select 1`, sql`select 'x'::int`]));
  expect(await sql`select count(*)::int as n from items`).toEqual([{ n: 1 }]);
  expect(await queryRows(h.tb.backend, "select count(*)::int as n from items")).toEqual([{ n: 1 }]);
});
