// Values make the round trip through the endpoint intact, as the official client parses them.
import { neon, neonConfig, type NeonQueryFunction } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { execScript } from "../../ops/backend.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
let sql: NeonQueryFunction<false, false>;
let nextId = 1;

beforeAll(async () => {
  h = await startHarness("sqlep_types");
  neonConfig.fetchEndpoint = h.endpoint.url;
  sql = neon(h.connectionString);
  await execScript(
    h.tb.backend,
    `create table samples (
       id int primary key, t text, i integer, b bigint, n numeric, bo boolean, j jsonb,
       ts timestamp(3), tz timestamptz, arr text[], by bytea
     )`,
  );
});
afterAll(() => h?.close());

/** Writes `value` into `column` of a fresh row (as a parameter) and reads it back. */
async function roundTrip(column: string, value: unknown): Promise<unknown> {
  const id = nextId++;
  await sql.query(`insert into samples (id, ${column}) values ($1, $2)`, [id, value]);
  const rows = await sql.query(`select ${column} as v from samples where id = $1`, [id]);
  return rows[0]!.v;
}

describe("text", () => {
  test.each([
    ["unicode", "héllo wörld — 日本語 🚀"],
    ["quotes and backslashes", `it's "quoted" \\ back\\slash`],
    ["empty string", ""],
    ["newlines and tabs", "line 1\nline 2\ttab"],
  ])("%s comes back unchanged", async (_name, value) => {
    expect(await roundTrip("t", value)).toBe(value);
  });
});

test("integer comes back as a JS number", async () => {
  expect(await roundTrip("i", 42)).toBe(42);
  expect(await roundTrip("i", -2147483648)).toBe(-2147483648);
});

test("bigint comes back as a string (pg-types leaves int8 unparsed), beyond 2^53 too", async () => {
  expect(await roundTrip("b", "9007199254740993")).toBe("9007199254740993");
  expect(await roundTrip("b", 9007199254740993n)).toBe("9007199254740993");
});

test("numeric comes back as the exact decimal string", async () => {
  expect(await roundTrip("n", "12345678901234567890.000123")).toBe("12345678901234567890.000123");
});

test("boolean comes back as a JS boolean", async () => {
  expect(await roundTrip("bo", true)).toBe(true);
  expect(await roundTrip("bo", false)).toBe(false);
});

test("jsonb comes back as the same nested value (objects, arrays, strings with quotes)", async () => {
  const value = { a: { b: [1, 'x "q" \\ y', null, true] }, s: "it's", n: 1.5 };
  expect(await roundTrip("j", value)).toEqual(value);
  // A JS array or string would be sent as a Postgres array / plain text: stringify it first.
  expect(await roundTrip("j", JSON.stringify([1, { k: "v" }]))).toEqual([1, { k: "v" }]);
  expect(await roundTrip("j", JSON.stringify('he said "hi"'))).toBe('he said "hi"');
});

test("timestamp(3) without time zone comes back as the same Date, to the millisecond", async () => {
  const at = new Date("2024-02-29T13:14:15.678Z");
  expect(((await roundTrip("ts", at)) as Date).getTime()).toBe(at.getTime());
});

test("timestamptz comes back as the same instant", async () => {
  const at = new Date("2024-02-29T23:59:59.999Z");
  expect(((await roundTrip("tz", at)) as Date).getTime()).toBe(at.getTime());
});

test("text[] comes back element for element (commas, quotes, backslashes, NULL, 'NULL', '')", async () => {
  const value = ["a,b", 'c"d', "e\\f", null, "NULL", "", " spaced ", "{braces}"];
  expect(await roundTrip("arr", value)).toEqual(value);
  expect(await roundTrip("arr", [])).toEqual([]);
});

test("bytea comes back as the same bytes", async () => {
  const bytes = Buffer.from([0, 1, 127, 128, 255]);
  expect(Buffer.from((await roundTrip("by", bytes)) as Uint8Array)).toEqual(bytes);
});

test("null comes back as null in every column", async () => {
  const columns = ["t", "i", "b", "n", "bo", "j", "ts", "tz", "arr", "by"];
  await sql.query(`insert into samples (id, ${columns.join(", ")}) values ($1, ${columns.map((_, i) => `$${i + 2}`).join(", ")})`, [
    1000,
    ...columns.map(() => null),
  ]);
  const [row] = await sql.query(`select ${columns.join(", ")} from samples where id = 1000`);
  expect(row).toEqual(Object.fromEntries(columns.map((c) => [c, null])));
});

test("fields carry the Postgres type ids the client parses by", async () => {
  const result = await sql.query("select * from samples limit 0", [], { fullResults: true });
  expect(Object.fromEntries(result.fields.map((f) => [f.name, f.dataTypeID]))).toEqual({
    id: 23,
    t: 25,
    i: 23,
    b: 20,
    n: 1700,
    bo: 16,
    j: 3802,
    ts: 1114,
    tz: 1184,
    arr: 1009,
    by: 17,
  });
  for (const f of result.fields) expect(f.format).toBe("text");
});

test("parameters get their type from the statement (a text '5' works as an int)", async () => {
  expect(await sql.query("select $1 + 1 as v, $2::int * 2 as w", ["5", "21"])).toEqual([{ v: 6, w: 42 }]);
});
