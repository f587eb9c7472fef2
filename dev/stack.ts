// The local stack in one call: a Postgres (PGlite or real), migrated, behind the Neon-protocol SQL
// endpoint; the Authorizer stand-in (unless an external Authorizer is configured); and the real
// Worker pointed at them, connecting as the application role that row-level security applies to.
// `npm run dev` and the test suite both use it.
import { openBackend, type Backend, type BackendOptions } from "../ops/backend.js";
import { appRoleUrl, crossTenantRoleUrl, ensureLocalAppRole, ensureLocalCrossTenantRole } from "./app-role.js";
import { generateTenantClaimSecret } from "../ops/claim-key.js";
import { startAuthorizerStandIn, type AuthorizerStandIn } from "./authorizer/index.js";
import { migrate } from "../ops/migrate.js";
import { startSqlEndpoint, type SqlEndpoint } from "./sql-endpoint/index.js";
import { startUpstashEndpoint, type UpstashEndpoint } from "./upstash-endpoint/index.js";
import { startWorker, type RunningWorker } from "./worker.js";
import { randomEncryptionKey } from "./worker-settings.js";

export interface LocalStack {
  backend: Backend;
  sqlEndpoint: SqlEndpoint;
  /** The Upstash-compatible REST endpoint (in front of REDIS_URL's Redis, or in memory). */
  upstashEndpoint: UpstashEndpoint;
  /** The Worker's DATABASE_URL (application role); the SQL endpoint connects with it. */
  databaseUrl: string;
  /** The Worker's CROSS_TENANT_DATABASE_URL (the cross-tenant role). */
  crossTenantDatabaseUrl: string;
  /** The Worker's TENANT_CLAIM_SECRET, installed in the database too. */
  tenantClaimSecret: string;
  /** The owner's connection string through the SQL endpoint (tests set up data with it). */
  ownerDatabaseUrl: string;
  /** Present when the stack started the stand-in. */
  authorizer?: AuthorizerStandIn;
  /** Bindings the Worker was started with. */
  vars: Record<string, string>;
  worker: RunningWorker;
  stop(): Promise<void>;
}

export interface ExternalAuthorizer {
  url: string;
  clientId: string;
  webhookSecret: string;
}

export interface LocalStackOptions {
  /** Where the owner connection goes (migrations, seed). Absent: embedded PGlite. */
  backend: BackendOptions;
  /** The Worker's DATABASE_URL. Absent: a local application role is created and used. */
  databaseUrl?: string;
  /** The Worker's CROSS_TENANT_DATABASE_URL. Absent: a local cross-tenant role is created and used. */
  crossTenantDatabaseUrl?: string;
  /**
   * The Worker's TENANT_CLAIM_SECRET (also read from `vars`). Absent: a fresh one is generated.
   * Either way it is installed in the database before the Worker starts.
   */
  tenantClaimSecret?: string;
  /** Runs right after the backend is opened, before migrations (e.g. a session setting on PGlite). */
  beforeMigrate?: (backend: Backend) => Promise<void>;
  /** An external Authorizer; absent: the stand-in is started. */
  authorizer?: ExternalAuthorizer;
  /** Options for the stand-in (persisted keys for `npm run dev`, a fixed webhook secret…). */
  standIn?: { keyFile?: string; webhookSecret?: string; port?: number };
  port?: number;
  sqlEndpointPort?: number;
  /** A real Redis behind the Upstash endpoint; absent: the in-memory store. */
  redisUrl?: string;
  watch?: boolean;
  logLevel?: "debug" | "info" | "log" | "warn" | "error" | "none";
  /** Serve GET /__scheduled?cron=<expr> to fire the scheduled jobs by hand. */
  testScheduled?: boolean;
  /** Runs after migrations, before the Worker starts (e.g. demo seed). */
  afterMigrate?: (backend: Backend) => Promise<void>;
  /** Extra Worker bindings. */
  vars?: Record<string, string>;
  log?: (line: string) => void;
}

/** PGlite has one database and ignores host and password; the user name still selects the role. */
export const PGLITE_OWNER_URL = "postgresql://postgres:local@localhost:5432/postgres";

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log = opts.log ?? (() => {});
  const backend = await openBackend(opts.backend);
  const cleanups: (() => Promise<void>)[] = [() => backend.close()];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    await opts.beforeMigrate?.(backend);
    const tenantClaimSecret = opts.tenantClaimSecret ?? opts.vars?.TENANT_CLAIM_SECRET ?? generateTenantClaimSecret();
    // The embedded database belongs to this process: keys of earlier runs are retired.
    const migrated = await migrate(backend, { log, tenantClaimSecret, retireOtherClaimKeys: backend.kind === "pglite" });
    log(`migrations: ${migrated.applied.length} applied${migrated.adopted ? " (adopted an existing seed database)" : ""}`);
    const ownerDatabaseUrl = opts.backend.databaseUrl ?? PGLITE_OWNER_URL;
    let databaseUrl = opts.databaseUrl;
    if (!databaseUrl) {
      await ensureLocalAppRole(backend);
      databaseUrl = appRoleUrl(ownerDatabaseUrl);
    }
    let crossTenantDatabaseUrl = opts.crossTenantDatabaseUrl;
    if (!crossTenantDatabaseUrl) {
      await ensureLocalCrossTenantRole(backend);
      crossTenantDatabaseUrl = crossTenantRoleUrl(ownerDatabaseUrl);
    }
    await opts.afterMigrate?.(backend);

    const sqlEndpoint = await startSqlEndpoint({ backend, port: opts.sqlEndpointPort ?? 0 });
    cleanups.push(() => sqlEndpoint.close());

    const upstashEndpoint = await startUpstashEndpoint({ ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}) });
    cleanups.push(() => upstashEndpoint.close());
    if (!upstashEndpoint.connected)
      log(`redis: ${upstashEndpoint.store} is unreachable; quota endpoints follow QUOTA_FAIL_MODE until it is back`);

    let authorizer: AuthorizerStandIn | undefined;
    let authorizerVars = opts.authorizer;
    if (!authorizerVars) {
      authorizer = await startAuthorizerStandIn({
        ...(opts.standIn?.keyFile ? { keyFile: opts.standIn.keyFile } : {}),
        ...(opts.standIn?.webhookSecret ? { webhookSecret: opts.standIn.webhookSecret } : {}),
        ...(opts.standIn?.port !== undefined ? { port: opts.standIn.port } : {}),
      });
      cleanups.push(() => authorizer!.close());
      authorizerVars = { url: authorizer.url, clientId: authorizer.clientId, webhookSecret: authorizer.webhookSecret };
    }

    const vars = {
      DATABASE_URL: databaseUrl,
      CROSS_TENANT_DATABASE_URL: crossTenantDatabaseUrl,
      TENANT_CLAIM_SECRET: tenantClaimSecret,
      NEON_HTTP_ENDPOINT: sqlEndpoint.url,
      AUTHORIZER_URL: authorizerVars.url,
      AUTHORIZER_CLIENT_ID: authorizerVars.clientId,
      AUTHORIZER_WEBHOOK_SECRET: authorizerVars.webhookSecret,
      // Tests and fresh stacks get a throw-away key; `npm run dev` passes a kept one in opts.vars.
      ENCRYPTION_KEY: randomEncryptionKey(),
      UPSTASH_REDIS_REST_URL: upstashEndpoint.url,
      UPSTASH_REDIS_REST_TOKEN: upstashEndpoint.token,
      ...opts.vars,
    };
    const worker = await startWorker({
      vars,
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.watch !== undefined ? { watch: opts.watch } : {}),
      ...(opts.testScheduled ? { testScheduled: true } : {}),
      ...(opts.logLevel ? { logLevel: opts.logLevel } : {}),
    });
    cleanups.push(() => worker.stop());
    return {
      backend,
      sqlEndpoint,
      upstashEndpoint,
      databaseUrl,
      crossTenantDatabaseUrl,
      tenantClaimSecret,
      ownerDatabaseUrl,
      ...(authorizer ? { authorizer } : {}),
      vars,
      worker,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
