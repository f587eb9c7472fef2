// What the Drizzle schema does at runtime, beyond the DDL: ids and updatedAt come from the
// application, and the relations resolve.
import { eq } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../ops/migrate.js";
import { ID_LENGTH } from "../../drizzle/ids.js";
import * as schema from "../../drizzle/schema.js";
import { openTestBackend, type TestBackend } from "../support/test-backend.js";

type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

describe("the Drizzle schema at runtime", { timeout: 60_000 }, () => {
  let tb: TestBackend;
  let db: Db;

  beforeAll(async () => {
    tb = await openTestBackend("schema_runtime");
    await migrate(tb.backend);
    const { backend } = tb;
    db = (backend.kind === "pglite" ? drizzlePglite(backend.db, { schema }) : drizzleNodePg(backend.pool, { schema })) as Db;
  }, 60_000);

  afterAll(async () => {
    await tb?.cleanup();
  });

  it("generates the id and timestamps of a new row", async () => {
    const before = Date.now();
    const [client] = await db.insert(schema.clients).values({ name: "Runtime Co", slug: "runtime-co" }).returning();
    expect(client!.id).toMatch(/^c[0-9a-z]+$/);
    expect(client!.id).toHaveLength(ID_LENGTH);
    expect(client!.updatedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(client!.tier).toBe("FREE");
    expect(client!.settings).toEqual({});
  });

  it("moves updatedAt on every update made through Drizzle", async () => {
    const [client] = await db
      .insert(schema.clients)
      .values({ name: "Old", slug: "old-co", updatedAt: new Date("2020-01-01T00:00:00Z") })
      .returning();
    const [updated] = await db.update(schema.clients).set({ name: "New" }).where(eq(schema.clients.id, client!.id)).returning();
    expect(updated!.updatedAt.getTime()).toBeGreaterThan(new Date("2020-01-01T00:00:00Z").getTime());
  });

  it("reads timestamps back as the same UTC instant", async () => {
    const instant = new Date("2025-03-30T01:30:00.123Z");
    const [client] = await db.insert(schema.clients).values({ name: "Tz", slug: "tz-co", trialEndsAt: instant }).returning();
    const [read] = await db.select().from(schema.clients).where(eq(schema.clients.id, client!.id));
    expect(read!.trialEndsAt?.toISOString()).toBe(instant.toISOString());
  });

  it("resolves relations in relational queries", async () => {
    const [client] = await db.insert(schema.clients).values({ name: "Rel", slug: "rel-co" }).returning();
    await db.insert(schema.users).values({ authorizerId: "auth-rel", email: "rel@rel.test", clientId: client!.id });
    const found = await db.query.clients.findFirst({
      where: eq(schema.clients.id, client!.id),
      with: { users: true },
    });
    expect(found?.users.map((u) => u.email)).toEqual(["rel@rel.test"]);
  });
});
