// The local stack in one call: a Postgres (PGlite or real), migrated, behind the Neon-protocol
// SQL endpoint, and the real Worker pointed at it. `npm run dev` and the test suite both use it.
import { openBackend, type Backend, type BackendOptions } from "./backend.js";
import { migrate } from "./migrate.js";
import { startSqlEndpoint, type SqlEndpoint } from "./sql-endpoint/index.js";
import { startWorker, type RunningWorker } from "./worker.js";

export interface LocalStack {
  backend: Backend;
  sqlEndpoint: SqlEndpoint;
  /** The connection string the Worker uses (DATABASE_URL); the SQL endpoint connects with it. */
  databaseUrl: string;
  /** Bindings the Worker was started with. */
  vars: Record<string, string>;
  worker: RunningWorker;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Where the owner connection goes (migrations, seed). Absent: embedded PGlite. */
  backend: BackendOptions;
  /** The Worker's DATABASE_URL. Absent: the backend URL (real Postgres) or a placeholder (PGlite). */
  databaseUrl?: string;
  port?: number;
  sqlEndpointPort?: number;
  watch?: boolean;
  logLevel?: "debug" | "info" | "log" | "warn" | "error" | "none";
  /** Runs after migrations, before the Worker starts (e.g. demo seed). */
  afterMigrate?: (backend: Backend) => Promise<void>;
  /** Extra Worker bindings. */
  vars?: Record<string, string>;
  log?: (line: string) => void;
}

/** PGlite has one database and ignores host and password; the user name still selects the role. */
export const PGLITE_DATABASE_URL = "postgresql://postgres:local@localhost:5432/postgres";

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log = opts.log ?? (() => {});
  const backend = await openBackend(opts.backend);
  const cleanups: (() => Promise<void>)[] = [() => backend.close()];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    const migrated = await migrate(backend, { log });
    log(`migrations: ${migrated.applied.length} applied${migrated.adopted ? " (adopted an existing seed database)" : ""}`);
    await opts.afterMigrate?.(backend);

    const sqlEndpoint = await startSqlEndpoint({ backend, port: opts.sqlEndpointPort ?? 0 });
    cleanups.push(() => sqlEndpoint.close());

    const databaseUrl = opts.databaseUrl ?? opts.backend.databaseUrl ?? PGLITE_DATABASE_URL;
    const vars = { DATABASE_URL: databaseUrl, NEON_HTTP_ENDPOINT: sqlEndpoint.url, ...opts.vars };
    const worker = await startWorker({
      vars,
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.watch !== undefined ? { watch: opts.watch } : {}),
      ...(opts.logLevel ? { logLevel: opts.logLevel } : {}),
    });
    cleanups.push(() => worker.stop());
    return { backend, sqlEndpoint, databaseUrl, vars, worker, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
