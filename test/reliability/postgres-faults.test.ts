// The local stack survives its database: Postgres ending the connections of the SQL endpoint (and
// of the stack's own pool) — here with pg_terminate_backend, as a restart or a failover would —
// while requests run must never take the process down. Requests caught in it answer 503
// `unavailable` with Retry-After (or succeed), and the stack recovers by itself: the next requests
// succeed. Real Postgres only (PGlite has no server connections to end); the stack is private (its
// own scratch database, endpoint and Worker) so the shared stack's connections are not touched.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase } from "../../ops/backend.js";
import { mintWithPrivateJwks } from "../../dev/authorizer/index.js";
import { startLocalStack, type LocalStack } from "../../dev/stack.js";
import { newId } from "../../drizzle/ids.js";
import { terminateConnections } from "../support/private-stack.js";
import { usingRealPostgres } from "../support/test-backend.js";

describe.runIf(usingRealPostgres)("Postgres ends the stack's connections mid-request (real Postgres)", () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let stack: LocalStack;
  let token: string;
  const unhandled: unknown[] = [];
  let restoreEmit = () => {};
  const onUnhandled = (err: unknown) => unhandled.push(err);

  beforeAll(async () => {
    // A pg client emitting 'error' with no listener is what crashes a process: name it if it happens.
    const emit = pg.Client.prototype.emit;
    pg.Client.prototype.emit = function (this: pg.Client, name: string | symbol, ...args: unknown[]) {
      if (name === "error" && this.listenerCount("error") === 0)
        unhandled.push(`'error' with no listener on a pg client: ${new Error().stack}`);
      return emit.call(this, name, ...args);
    } as typeof emit;
    restoreEmit = () => {
      pg.Client.prototype.emit = emit;
    };
    process.on("uncaughtException", onUnhandled);
    scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, "apifault");
    stack = await startLocalStack({ backend: { databaseUrl: scratch.url }, logLevel: "none" });
    if (stack.backend.kind !== "pg" || !stack.authorizer) throw new Error("expected a real-Postgres stack with the stand-in");
    const clientId = newId();
    const userId = newId();
    await stack.backend.pool.query(
      `insert into clients (id, name, slug, status, tier, "maxUsers", "maxWorkflows", "updatedAt") values ($1, 'Faults', $2, 'ACTIVE', 'PRO', 20, 100000, now())`,
      [clientId, `faults-${clientId}`],
    );
    await stack.backend.pool.query(
      `insert into users (id, "authorizerId", email, role, status, "clientId", "updatedAt") values ($1, $2, $3, 'ADMIN', 'ACTIVE', $4, now())`,
      [userId, `auth-${userId}`, `admin-${userId}@faults.test`, clientId],
    );
    const authorizer = stack.authorizer;
    token = await mintWithPrivateJwks(authorizer.privateJwks(), authorizer.url, authorizer.clientId, { sub: `auth-${userId}` });
  });

  afterAll(async () => {
    process.off("uncaughtException", onUnhandled);
    restoreEmit();
    await stack?.stop();
    await scratch?.drop();
  });

  /** Ends every server connection to the scratch database (the endpoint's pools and the stack's). */
  const terminateAll = () => terminateConnections(scratch.name);

  const auth = () => ({ Authorization: `Bearer ${token}` });
  const read = () => fetch(`${stack.worker.url}/v1/workflows`, { headers: auth() });
  const write = (i: number) =>
    fetch(`${stack.worker.url}/v1/workflows`, {
      method: "POST",
      headers: { ...auth(), "content-type": "application/json" },
      body: JSON.stringify({ name: `fault ${i}`, type: "CUSTOM" }),
    });

  async function expectSuccessOrUnavailable(res: Response, what: string): Promise<"ok" | "unavailable"> {
    const body = (await res.json()) as { error?: { code?: string } };
    if (res.status < 300) return "ok";
    expect({ what, status: res.status, body }).toMatchObject({ status: 503, body: { error: { code: "unavailable" } } });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    return "unavailable";
  }

  /** Recovery is by the stack itself: a request or two may still meet a dead pooled connection. */
  async function expectRecovered(): Promise<void> {
    let first: Response | undefined;
    for (let attempt = 0; attempt < 3 && first?.status !== 200; attempt++) first = await read();
    expect(first?.status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await read()).status).toBe(200);
  }

  it("answers 503 or succeeds while connections are terminated, then recovers", { timeout: 120_000 }, async () => {
    expect((await read()).status).toBe(200);
    let terminated = 0;
    const outcomes = { ok: 0, unavailable: 0 };
    for (let round = 0; round < 6; round++) {
      const inFlight = Array.from({ length: 8 }, (_, i) => (i % 2 ? read() : write(round * 8 + i)));
      terminated += await terminateAll();
      for (const res of await Promise.all(inFlight)) outcomes[await expectSuccessOrUnavailable(res, `round ${round}`)]++;
    }
    expect(terminated).toBeGreaterThan(0);
    expect(outcomes.ok + outcomes.unavailable).toBe(48);
    await expectRecovered();
    expect(unhandled).toEqual([]);
  });

  it("recovers when every connection was ended while idle (as at start)", { timeout: 60_000 }, async () => {
    expect((await read()).status).toBe(200);
    expect(await terminateAll()).toBeGreaterThan(0);
    await expectRecovered();
    // The stack's own pool (migrations, seed, tests' setup) recovers too.
    if (stack.backend.kind === "pg") expect((await stack.backend.pool.query("select 1 as one")).rows[0].one).toBe(1);
    expect(unhandled).toEqual([]);
  });
});
