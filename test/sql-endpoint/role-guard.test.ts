// The endpoint keeps a caller in its own role by what the session is, not by what the SQL says:
// PGlite's one session is the superuser, which could switch to any role, so after every statement
// the role in effect must still be the caller's, or the transaction is rolled back and 42501
// answered with nothing returned. On a real server Postgres refuses (or ignores) the same attempts
// itself; either way no statement ever runs as anyone but the caller.
import { neon, neonConfig } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { execScript } from "../../ops/backend.js";
import { asUser, clientHeaders, post, startHarness, uniqueName, type Harness } from "./harness.js";

let h: Harness;
const role = uniqueName("sqlep_guarded");
const onPglite = () => h.tb.backend.kind === "pglite";

beforeAll(async () => {
  h = await startHarness("sqlep_guard");
  neonConfig.fetchEndpoint = h.endpoint.url;
  const login = h.tb.backend.kind === "pg" ? "LOGIN PASSWORD 'pw'" : "";
  await execScript(
    h.tb.backend,
    `create table secrets (x int); insert into secrets values (42);
     create table notices (x int); insert into notices values (2);
     create role ${role} ${login};
     grant select, insert on notices to ${role};`,
  );
});

afterAll(async () => {
  if (!h) return;
  await h.endpoint.close();
  await execScript(h.tb.backend, `drop owned by ${role}; drop role ${role}`);
  await h.close();
});

const guarded = () => neon(asUser(h.connectionString, role));
const owner = () => neon(h.connectionString);

/** A raw request, so the test sees exactly what the endpoint answers (status, body). */
async function raw(body: unknown) {
  return post(h.endpoint.url, body, clientHeaders(asUser(h.connectionString, role)));
}

const ATTEMPTS: [string, { query: string; params?: string[] }][] = [
  ["set/**/role postgres", { query: "set/**/role postgres" }],
  [
    "set_config($1, $2, true) with role, postgres as parameters",
    { query: "select set_config($1, $2, true)", params: ["role", "postgres"] },
  ],
  ["set session authorization postgres", { query: "set session authorization postgres" }],
  ["SET LOCAL ROLE in another spelling", { query: 'SeT\nlocal\tROLE "postgres"' }],
];

describe("role switches", () => {
  test.each(ATTEMPTS)("%s is refused with 42501 and returns nothing", async (_name, q) => {
    const single = await raw(q);
    expect(single.status).toBe(400);
    expect(single.json()).toMatchObject({ code: "42501" });
    // In a batch: the statements before it are rolled back, nothing after it runs.
    const batch = await raw({
      queries: [{ query: "insert into notices values (7) returning x" }, q, { query: "select x from secrets" }],
    });
    expect(batch.status).toBe(400);
    expect(batch.json()).toMatchObject({ code: "42501" });
    expect(batch.text).not.toContain(`["42"]`);
    expect(await owner()`select count(*)::int as n from notices where x = 7`).toEqual([{ n: 0 }]);
  });

  test("reset role cannot leave the caller's role either", async () => {
    const res = await raw({ queries: [{ query: "reset role" }, { query: "select current_user::text as u" }] });
    if (onPglite()) {
      // The superuser session would be back to postgres: refused.
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ code: "42501" });
    } else {
      // A login role's RESET ROLE is itself.
      expect(res.status).toBe(200);
      expect(res.json().results[1].rows).toEqual([[role]]);
    }
  });

  test("a COMMIT that ends the transaction (and the caller's role with it) is refused before anything else runs", async () => {
    const res = await raw({ queries: [{ query: "commit" }, { query: "select x from secrets" }] });
    expect(res.text).not.toContain(`["42"]`);
    if (onPglite()) expect(res.json()).toMatchObject({ code: "42501" });
  });

  test("afterwards the caller is still the caller and the owner still the owner", async () => {
    expect(await guarded()`select current_user::text as u`).toEqual([{ u: role }]);
    expect(await owner()`select current_user::text as u`).toEqual([{ u: "postgres" }]);
    await expect(guarded()`select x from secrets`).rejects.toMatchObject({ code: "42501" });
  });
});

describe("CORS", () => {
  test("a preflight from any origin is refused, with no Access-Control-Allow-* header", async () => {
    const res = await fetch(h.endpoint.url, {
      method: "OPTIONS",
      headers: {
        Origin: "https://evil.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "neon-connection-string",
      },
    });
    expect(res.status).toBe(403);
    expect([...res.headers.keys()].filter((k) => k.startsWith("access-control-"))).toEqual([]);
  });

  test("a browser request (it carries Origin) is refused; the server-side client's is answered without CORS headers", async () => {
    const browser = await post(
      h.endpoint.url,
      { query: "select 1" },
      { ...clientHeaders(h.connectionString), Origin: "http://localhost:3000" },
    );
    expect(browser.status).toBe(403);
    const res = await fetch(h.endpoint.url, {
      method: "POST",
      headers: clientHeaders(h.connectionString),
      body: JSON.stringify({ query: "select 1" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("a switch away and back within one statement", () => {
  // The role after the statement is the caller's again; what it could have run meanwhile must not
  // exist for the caller (on PGlite the endpoint closes those doors; Postgres refuses the switch).
  test.each([
    [
      "set_config around query_to_xml",
      `select set_config('role', 'postgres', true), query_to_xml('select * from secrets', false, false, ''), set_config('role', current_user::text, true)`,
    ],
    [
      "a DO block that raises what it read",
      `do $$ begin set role postgres; raise exception 'leak %', (select string_agg(x::text, ',') from secrets); end $$`,
    ],
    [
      "a temporary PL/pgSQL function",
      [
        `create function pg_temp.f() returns text language plpgsql as $$ begin set role postgres; return (select string_agg(x::text, ',') from secrets); end $$`,
        `select pg_temp.f()`,
      ],
    ],
    [
      "ts_stat running a query given as text",
      `select set_config('role', 'postgres', true), ts_stat('select to_tsvector(x::text) from secrets')`,
    ],
  ] as [string, string | string[]][])("%s reads nothing", async (_name, query) => {
    const res = await raw(Array.isArray(query) ? { queries: query.map((q) => ({ query: q })) } : { query });
    expect(res.status).toBe(400);
    expect(res.json().code).toBe("42501");
    expect(res.text).not.toContain("42<");
    expect(res.text).not.toContain("leak 42");
  });
});
