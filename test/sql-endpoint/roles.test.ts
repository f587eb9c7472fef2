// Statements run as the role named in the connection string, not as the endpoint's own user:
// the caller's grants (and later its row-level security policies) decide what it may do.
import { neon, neonConfig } from "@neondatabase/serverless";
import { afterAll, beforeAll, expect, test } from "vitest";
import { execScript } from "../../ops/backend.js";
import { asUser, startHarness, uniqueName, type Harness } from "./harness.js";

let h: Harness;
// Roles are cluster-wide on a real server: unique per run, dropped afterwards.
const role = uniqueName("sqlep_reader");

beforeAll(async () => {
  h = await startHarness("sqlep_roles");
  neonConfig.fetchEndpoint = h.endpoint.url;
  // PGlite checks no password and needs no LOGIN: the endpoint switches to the role itself.
  const login = h.tb.backend.kind === "pg" ? "LOGIN PASSWORD 'pw'" : "";
  await execScript(
    h.tb.backend,
    `create table secrets (x int); insert into secrets values (1);
     create table notices (x int); insert into notices values (2);
     create role ${role} ${login};
     grant select on notices to ${role};`,
  );
});

afterAll(async () => {
  if (!h) return;
  await h.endpoint.close(); // ends the role's connections before it is dropped
  await execScript(h.tb.backend, `drop owned by ${role}; drop role ${role}`);
  await h.close();
});

const asOwner = () => neon(h.connectionString);
const asReader = () => neon(asUser(h.connectionString, role));

test("statements run as the connection string's user", async () => {
  expect(await asReader()`select current_user as u`).toEqual([{ u: role }]);
  expect(await asReader().transaction([asReader()`select current_user as u`])).toEqual([[{ u: role }]]);
});

test("a role without privileges on a table gets permission denied (42501)", async () => {
  expect(await asOwner()`select x from secrets`).toEqual([{ x: 1 }]);
  const err = await asReader()`select x from secrets`.catch((e: unknown) => e);
  expect(err).toMatchObject({ code: "42501", message: "permission denied for table secrets" });
});

test("the same holds inside a batch, which is rolled back", async () => {
  const reader = asReader();
  const err = await reader.transaction([reader`select x from notices`, reader`select x from secrets`]).catch((e: unknown) => e);
  expect(err).toMatchObject({ code: "42501" });
});

test("what the role was granted, it may do", async () => {
  expect(await asReader()`select x from notices`).toEqual([{ x: 2 }]);
});

test("the role does not leak into later requests of other users", async () => {
  await asReader()`select 1`;
  expect(await asOwner()`select current_user as u`).toEqual([{ u: "postgres" }]);
});

test("stats count requests per connection user", async () => {
  h.endpoint.resetStats();
  await asReader()`select 1`;
  await asReader()`select 1`;
  await asOwner()`select 1`;
  expect(h.endpoint.stats().byConnectionUser).toEqual({ [role]: 2, postgres: 1 });
});
