// describeError on the errors the real driver produces (neon-http through the local endpoint): what a
// log line may say about a failed query, and what it must never say (its parameters, and message
// text Postgres fills with values). Issue 6, item 5; the Worker's own output is checked in
// test/security/log-redaction.test.ts.
import { neon } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/neon-http";
import { describe, expect, inject, it } from "vitest";
import { newId } from "../../drizzle/ids.js";
import { describeError } from "../../src/lib/log.js";
import "../support/fixtures.js"; // points neonConfig at the local endpoint

const db = drizzle({ client: neon(inject("ownerDatabaseUrl")) });

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error("expected the statement to fail");
}

const secret = () => `EAAG${newId()}SECRETTOKEN`;

describe("describeError on real driver errors", () => {
  it("a unique violation from a single query: SQLSTATE, constraint, table and SQL text, never the value", async () => {
    const value = secret();
    const err = await failure(() =>
      db.execute(
        sql`insert into clients (id, name, slug, "updatedAt") values (${newId()}, 'a', ${value}, now()), (${newId()}, 'b', ${value}, now())`,
      ),
    );
    // The raw error does carry the value (message/stack of Drizzle's wrapper, detail of Postgres'):
    expect(`${(err as Error).message} ${(err as Error).stack}`).toContain(value);
    const described = JSON.stringify(describeError(err));
    expect(described).not.toContain(value);
    expect(described).toContain("23505");
    expect(described).toContain("clients_slug_key");
    expect(described).toContain("insert into clients");
    expect(described).toContain("$3");
  });

  it("invalid input syntax (Postgres quotes the value in its message), single query and batch", async () => {
    const value = secret();
    const single = await failure(() => db.execute(sql`select ${value}::int`));
    const batch = await failure(() => db.batch([db.execute(sql`select 1`), db.execute(sql`select ${value}::int`)]));
    for (const err of [single, batch]) {
      expect(JSON.stringify({ m: (err as Error).message, c: String((err as { cause?: Error }).cause?.message) })).toContain(value);
      const described = JSON.stringify(describeError(err));
      expect(described).not.toContain(value);
      expect(described).toContain("22P02");
    }
  });

  it("still describes errors that are not the database's in full", () => {
    expect(describeError(new TypeError("fetch failed"))).toMatchObject({ name: "TypeError", message: "fetch failed" });
  });
});
