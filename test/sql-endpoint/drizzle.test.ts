// drizzle-orm/neon-http works through the endpoint as it does against Neon.
import { neon, neonConfig } from "@neondatabase/serverless";
import { eq, sql as dsql } from "drizzle-orm";
import { drizzle, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import { bigint, boolean, integer, jsonb, numeric, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { execScript } from "../../ops/backend.js";
import { startHarness, type Harness } from "./harness.js";

const samples = pgTable("drz_samples", {
  id: integer("id").primaryKey(),
  label: text("label"),
  count: integer("count"),
  big: bigint("big", { mode: "bigint" }),
  bigNum: bigint("big_num", { mode: "number" }),
  amount: numeric("amount"),
  flag: boolean("flag"),
  data: jsonb("data"),
  at: timestamp("at", { precision: 3, mode: "date" }),
  atTz: timestamp("at_tz", { withTimezone: true, mode: "date" }),
  tags: text("tags").array(),
});

let h: Harness;
let db: NeonHttpDatabase;

beforeAll(async () => {
  h = await startHarness("sqlep_drizzle");
  neonConfig.fetchEndpoint = h.endpoint.url;
  db = drizzle(neon(h.connectionString));
  await execScript(
    h.tb.backend,
    `create table drz_samples (
       id int primary key, label text, count integer, big bigint, big_num bigint, amount numeric,
       flag boolean, data jsonb, at timestamp(3), at_tz timestamptz, tags text[]
     )`,
  );
});
afterAll(() => h?.close());

const byId = (id: number) => db.select().from(samples).where(eq(samples.id, id));

test("a full row comes back with the JS values it was written with", async () => {
  const row = {
    id: 1,
    label: `héllo "wörld" 🚀 it's`,
    count: -7,
    big: 9007199254740993n,
    bigNum: 1234567890123,
    amount: "12345678901234567890.000123",
    flag: true,
    data: { nested: { list: [1, "two", null], quote: 'say "hi"' } },
    at: new Date("2024-02-29T13:14:15.678Z"),
    atTz: new Date("2024-02-29T23:59:59.999Z"),
    tags: ["a,b", 'c"d', "e\\f", "NULL", ""],
  };
  await db.insert(samples).values(row);
  expect(await byId(1)).toEqual([row]);
});

test("a row of nulls comes back as nulls", async () => {
  await db.insert(samples).values({ id: 2 });
  expect(await byId(2)).toEqual([
    {
      id: 2,
      label: null,
      count: null,
      big: null,
      bigNum: null,
      amount: null,
      flag: null,
      data: null,
      at: null,
      atTz: null,
      tags: null,
    },
  ]);
});

test("a unique violation reaches drizzle's error as .cause with code and constraint", async () => {
  await db.insert(samples).values({ id: 3 });
  const err = await db
    .insert(samples)
    .values({ id: 3 })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).cause).toMatchObject({ code: "23505", constraint: "drz_samples_pkey" });
});

test("db.batch is one transaction: a failing statement undoes the earlier ones", async () => {
  const err = await db.batch([db.insert(samples).values({ id: 10 }), db.insert(samples).values({ id: 3 })]).catch((e: unknown) => e);
  // Batch errors are not wrapped by drizzle: the client's NeonDbError arrives as is.
  expect(err).toMatchObject({ code: "23505" });
  expect(await byId(10)).toEqual([]);
});

test("db.batch statements see each other's writes, in order", async () => {
  const [, inserted, selected] = await db.batch([
    db.insert(samples).values({ id: 20, label: "first" }),
    db.update(samples).set({ label: "second" }).where(eq(samples.id, 20)).returning({ label: samples.label }),
    db.select({ label: samples.label }).from(samples).where(eq(samples.id, 20)),
  ]);
  expect(inserted).toEqual([{ label: "second" }]);
  expect(selected).toEqual([{ label: "second" }]);
});

test("db.batch is a single HTTP request", async () => {
  h.endpoint.resetStats();
  await db.batch([
    db.select().from(samples).where(eq(samples.id, 1)),
    db.select().from(samples).where(eq(samples.id, 2)),
    db.execute(dsql`select 1`),
  ]);
  expect(h.endpoint.stats()).toMatchObject({ requests: 1, queries: 3 });
});
