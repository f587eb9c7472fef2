// The Postgres behind the local stack: embedded PGlite (zero install) or a real server.
// Everything Node-side (the SQL-over-HTTP endpoint, migrations, seed, tests) opens it through here.
import { PGlite } from "@electric-sql/pglite";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import pg from "pg";

export type Backend =
  | { kind: "pglite"; db: PGlite; label: string; close(): Promise<void> }
  | { kind: "pg"; pool: pg.Pool; url: string; label: string; close(): Promise<void> };

export interface BackendOptions {
  /** postgres:// URL of a real server; when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory (persisted); when absent, PGlite runs in memory. */
  dataDir?: string;
}

export async function openBackend(opts: BackendOptions): Promise<Backend> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle connection the server ends (terminated, restarted) must not crash the process; the
    // pool drops it and connects anew on the next use.
    pool.on("error", () => {});
    // Every client keeps a listener for life (not only while idle in the pool): a connection the
    // server ends while a client is checked out or being discarded must not crash the process.
    pool.on("connect", (client) => client.on("error", () => {}));
    // Fail fast with a readable message instead of on the first request.
    const client = await pool.connect().catch((err: unknown) => {
      throw new Error(`cannot connect to ${redactUrl(opts.databaseUrl!)}: ${(err as Error).message}`);
    });
    client.release();
    return {
      kind: "pg",
      pool,
      url: opts.databaseUrl,
      label: `postgres ${redactUrl(opts.databaseUrl)}`,
      close: () => pool.end(),
    };
  }
  const release = opts.dataDir ? lockDataDir(opts.dataDir) : () => {};
  try {
    const db = opts.dataDir ? await PGlite.create(opts.dataDir) : await PGlite.create();
    return {
      kind: "pglite",
      db,
      label: opts.dataDir ? `pglite ${opts.dataDir}` : "pglite (in memory)",
      async close() {
        await db.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * PGlite is single-process: two processes opening the same data directory corrupt it. A pid file
 * beside it turns that into a clear error (e.g. `npm run db:seed` while `npm run dev` is running).
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  let holder: number | undefined;
  try {
    holder = Number(readFileSync(lockFile, "utf8"));
  } catch {
    holder = undefined;
  }
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `the embedded database ${dataDir} is in use by process ${holder} (is \`npm run dev\` running?). ` +
        "Stop it first, or point DATABASE_URL at a real Postgres.",
    );
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Runs one SQL script (several statements allowed) on the backend, as its owner. */
export async function execScript(backend: Backend, sql: string): Promise<void> {
  if (backend.kind === "pglite") await backend.db.exec(sql);
  else await backend.pool.query(sql);
}

/** Runs one statement and returns its rows as objects (parsed by the backend's default parsers). */
export async function queryRows<T = Record<string, unknown>>(backend: Backend, sql: string, params: unknown[] = []): Promise<T[]> {
  if (backend.kind === "pglite") return (await backend.db.query<T>(sql, params)).rows;
  return (await backend.pool.query(sql, params)).rows as T[];
}

/**
 * Creates a throw-away database on a real server (tests: each run gets its own and drops it).
 * Returns its URL and a drop function.
 */
export async function createScratchDatabase(
  serverUrl: string,
  prefix = "apitest",
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  admin.on("error", () => {}); // a dropped connection fails the pending query instead of the process
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      c.on("error", () => {});
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<unparseable url>";
  }
}

/** A query function bound to one connection (inside {@link inTransaction}). */
export type BoundQuery = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
export async function inTransaction<T>(backend: Backend, work: (query: BoundQuery) => Promise<T>): Promise<T> {
  if (backend.kind === "pglite") {
    return backend.db.transaction((tx) => work(async <R>(sql: string, params?: unknown[]) => (await tx.query<R>(sql, params)).rows));
  }
  const client = await backend.pool.connect();
  let broken = false;
  // Checked-out clients have no pool listener: a connection ended by the server mid-transaction
  // would otherwise be an unhandled 'error' event (a crash). The pending query rejects by itself.
  const onError = () => {
    broken = true;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    try {
      const result = await work(async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[]);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw err;
    }
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}
