// Postgres failures, as the real driver reports them (neon-http through the local endpoint),
// mapped to the error envelope.
import { neon } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/neon-http";
import { describe, expect, inject, it } from "vitest";
import { mapDatabaseError } from "../../src/db/errors.js";
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

describe("mapping database errors", () => {
  it("maps a unique violation to 409 conflict, from a single query (wrapped by drizzle)", async () => {
    const err = await failure(() =>
      db.execute(sql`insert into clients (id, name, slug, "updatedAt") values ('dup', 'a', 'dup-a', now()), ('dup', 'b', 'dup-b', now())`),
    );
    expect(mapDatabaseError(err)).toMatchObject({ status: 409, code: "conflict" });
  });

  it("maps a unique violation to 409 conflict, from a batch (unwrapped)", async () => {
    const err = await failure(() =>
      db.batch([db.execute(sql`create temp table t_unique (x int primary key)`), db.execute(sql`insert into t_unique values (1), (1)`)]),
    );
    expect(mapDatabaseError(err)).toMatchObject({ status: 409, code: "conflict" });
  });

  it("maps invalid input syntax to 400 invalid_request", async () => {
    const err = await failure(() => db.execute(sql`select ${"not-a-number"}::int`));
    expect(mapDatabaseError(err)).toMatchObject({ status: 400, code: "invalid_request" });
  });

  it("maps an unreachable endpoint to 503 with Retry-After", async () => {
    const dead = drizzle({ client: neon(inject("ownerDatabaseUrl"), { fetchOptions: { signal: AbortSignal.timeout(1) } }) });
    const err = await failure(() => dead.execute(sql`select pg_sleep(1)`));
    const mapped = mapDatabaseError(err);
    expect(mapped).toMatchObject({ status: 503, code: "unavailable" });
    expect(mapped?.options.headers?.["Retry-After"]).toMatch(/^\d+$/);
  });

  it("leaves errors that are not about input or availability unmapped (they become 500)", async () => {
    const err = await failure(() => db.execute(sql`select * from no_such_table`));
    expect(mapDatabaseError(err)).toBeUndefined();
    expect(mapDatabaseError(new Error("boom"))).toBeUndefined();
  });
});
