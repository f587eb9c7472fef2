// The wire format itself, checked with hand-made requests (what the client sends and expects).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { clientHeaders, post, startExtraEndpoint, startHarness, type Harness } from "./harness.js";

let h: Harness;
let headers: Record<string, string>;

beforeAll(async () => {
  h = await startHarness("sqlep_protocol");
  headers = clientHeaders(h.connectionString);
});
afterAll(() => h?.close());

test("a single query answers 200 with command, rowCount, text rows, fields and rowAsArray", async () => {
  const res = await post(h.endpoint.url, { query: "select $1::int as n, $2::text as s", params: ["1", null] }, headers);
  expect(res.status).toBe(200);
  expect(res.contentType).toBe("application/json");
  const body = res.json();
  expect(body).toMatchObject({ command: "SELECT", rowCount: 1, rows: [["1", null]], rowAsArray: true });
  expect(body.fields).toHaveLength(2);
  expect(body.fields[0]).toEqual({
    name: "n",
    dataTypeID: 23,
    tableID: 0,
    columnID: 0,
    dataTypeSize: h.tb.backend.kind === "pg" ? 4 : -1, // PGlite's query API does not expose it
    dataTypeModifier: -1,
    format: "text",
  });
});

test("every value is the server's text output, identical on PGlite and Postgres", async () => {
  const res = await post(
    h.endpoint.url,
    {
      queries: [
        { query: "select set_config('TimeZone', 'UTC', true)", params: [] },
        {
          query: `select 7::int, 9007199254740993::int8, 1.50::numeric, true, false,
            '{"b": 1, "a": [1, "x"]}'::jsonb, '2024-02-29 13:14:15.678'::timestamp(3),
            '2024-02-29 13:14:15.678+02'::timestamptz, array['a,b', 'c"d', null, '']::text[],
            '\\x00ff'::bytea, '2024-02-29'::date, 0.5::float8`,
          params: [],
        },
      ],
    },
    headers,
  );
  expect(res.status).toBe(200);
  expect(res.json().results[1].rows).toEqual([
    [
      "7",
      "9007199254740993",
      "1.50",
      "t",
      "f",
      '{"a": [1, "x"], "b": 1}',
      "2024-02-29 13:14:15.678",
      "2024-02-29 11:14:15.678+00",
      '{"a,b","c\\"d",NULL,""}',
      "\\x00ff",
      "2024-02-29",
      "0.5",
    ],
  ]);
});

test("command and rowCount come from the command tag", async () => {
  const run = async (query: string) => {
    const { command, rowCount } = (await post(h.endpoint.url, { query }, headers)).json();
    return { command, rowCount };
  };
  expect(await run("create table tags (id int)")).toEqual({ command: "CREATE", rowCount: null });
  expect(await run("insert into tags values (1), (2), (3)")).toEqual({ command: "INSERT", rowCount: 3 });
  expect(await run("update tags set id = id + 1 where id > 1")).toEqual({ command: "UPDATE", rowCount: 2 });
  expect(await run("select * from tags")).toEqual({ command: "SELECT", rowCount: 3 });
});

test("a batch answers {results: [one response per query]}", async () => {
  const res = await post(
    h.endpoint.url,
    { queries: [{ query: "select 1 as a" }, { query: "select $1::text as b", params: ["x"] }] },
    headers,
  );
  expect(res.status).toBe(200);
  const { results } = res.json();
  expect(results.map((r: { rows: unknown }) => r.rows)).toEqual([[["1"]], [["x"]]]);
});

test("Neon-Array-Mode other than 'true' gives rows as objects keyed by field name", async () => {
  const res = await post(
    h.endpoint.url,
    { query: "select 1 as a, 'x' as b" },
    {
      ...headers,
      "Neon-Array-Mode": "false",
    },
  );
  expect(res.json()).toMatchObject({ rows: [{ a: "1", b: "x" }], rowAsArray: false });
});

test("a query's own arrayMode overrides the header", async () => {
  const res = await post(h.endpoint.url, { query: "select 1 as a", arrayMode: false }, headers);
  expect(res.json().rows).toEqual([{ a: "1" }]);
});

test("without Neon-Raw-Text-Output, booleans, int2/int4, floats, json and arrays become JSON values", async () => {
  const res = await post(
    h.endpoint.url,
    {
      query: `select true as bo, 7::int as i, 5::int8 as big, 1.5::numeric as num, 0.25::float8 as f,
        'NaN'::float8 as nan, '{"k": [1, null]}'::jsonb as j, array[1, null, 3]::int[] as ia,
        array['a,b', 'c"d', null]::text[] as ta, array[array[true], array[false]] as nested`,
    },
    { "Neon-Connection-String": h.connectionString },
  );
  expect(res.json().rows).toEqual([
    {
      bo: true,
      i: 7,
      big: "5",
      num: "1.5",
      f: 0.25,
      nan: "NaN",
      j: { k: [1, null] },
      ia: [1, null, 3],
      ta: ["a,b", 'c"d', null],
      nested: [[true], [false]],
    },
  ]);
});

test("non-string parameters are converted as Neon's proxy does (JSON text, arrays as array literals)", async () => {
  const res = await post(
    h.endpoint.url,
    { query: "select $1::int + 1, $2::bool, $3::jsonb, $4::text[]", params: [41, true, { a: 1 }, ["x,y", null, 2]] },
    headers,
  );
  expect(res.json().rows).toEqual([["42", "t", '{"a": 1}', '{"x,y",NULL,2}']]);
});

describe("malformed requests are answered 400 with a message", () => {
  const conn = (value: string | undefined) => ({ "Neon-Connection-String": value });
  test.each<[string, unknown, Record<string, string | undefined>]>([
    ["no Neon-Connection-String header", { query: "select 1" }, conn(undefined)],
    ["a connection string that is not a URL", { query: "select 1" }, conn("nope")],
    ["a connection string of another scheme", { query: "select 1" }, conn("mysql://u@h/db")],
    ["a connection string without user", { query: "select 1" }, conn("postgres://h/db")],
    ["a body that is not JSON", "{not json", {}],
    ["a body with neither query nor queries", { sql: "select 1" }, {}],
    ["a query that is not a string", { query: 42 }, {}],
    ["params that are not an array", { query: "select 1", params: "x" }, {}],
    ["a batch entry without query", { queries: [{ query: "select 1" }, { params: [] }] }, {}],
    ["an unknown isolation level", { queries: [] }, { "Neon-Batch-Isolation-Level": "Chaos" }],
  ])("%s", async (_name, body, overrides) => {
    const merged = Object.entries({ ...headers, ...overrides }).filter(([, v]) => v !== undefined);
    const res = await post(h.endpoint.url, body, Object.fromEntries(merged) as Record<string, string>);
    expect(res.status).toBe(400);
    expect(typeof res.json().message).toBe("string");
  });
});

test("POST on / is accepted like /sql", async () => {
  const res = await post(h.endpoint.url.replace(/\/sql$/, "/"), { query: "select 1" }, headers);
  expect(res.status).toBe(200);
});

test("GET /health reports the backend", async () => {
  const res = await fetch(h.endpoint.url.replace(/\/sql$/, "/health"));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", backend: h.tb.backend.label });
});

test("other methods and paths are refused", async () => {
  expect((await fetch(h.endpoint.url)).status).toBe(405);
  expect((await fetch(h.endpoint.url.replace(/\/sql$/, "/other"), { method: "POST" })).status).toBe(404);
});

test("the optional log callback gets one line per request", async () => {
  const lines: string[] = [];
  const logged = await startExtraEndpoint(h, { log: (line) => lines.push(line) });
  try {
    await post(logged.url, { queries: [{ query: "select 1" }, { query: "select 2" }] }, headers);
    await post(logged.url, { query: "select 'x'::int" }, headers);
  } finally {
    await logged.close();
  }
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^POST \/sql 2q \d+ms 200$/);
  expect(lines[1]).toMatch(/^POST \/sql 1q \d+ms 400$/);
});
