// Applies migrations/ with Drizzle's own migrators (bookkeeping in drizzle.__drizzle_migrations),
// and adopts a database created by the seed's Prisma migrations in place: once its layout is
// verified to be exactly what 0000_seed_layout creates, that migration is recorded as applied
// (the way Drizzle records it) so only the additive migrations run. Prisma's _prisma_migrations
// table is left alone.
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { readMigrationFiles, type MigrationConfig, type MigrationMeta } from "drizzle-orm/migrator";
import type { Backend, BackendOptions } from "./backend.js";
import { installTenantClaimKey } from "./claim-key.js";

/** Resolved from this file, so migrations are found whatever the working directory is. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../migrations", import.meta.url));
/** Where the embedded database lives when no server is configured. */
export const EMBEDDED_DATA_DIR = fileURLToPath(new URL("../.data/pglite", import.meta.url));

/** Drizzle's defaults, as in drizzle.config.ts. */
export const MIGRATIONS_SCHEMA = "drizzle";
export const MIGRATIONS_TABLE = "__drizzle_migrations";
/** The migration that reproduces the seed's layout; an adopted database already has it. */
export const SEED_LAYOUT_TAG = "0000_seed_layout";

const MIGRATION_CONFIG: MigrationConfig = {
  migrationsFolder: MIGRATIONS_FOLDER,
  migrationsSchema: MIGRATIONS_SCHEMA,
  migrationsTable: MIGRATIONS_TABLE,
};
// Serializes concurrent runners (two `npm run dev`, a deploy and a developer) on one database.
const LOCK_NAME = "automation-platform-api:migrate";

export interface MigrateOptions {
  log?: (line: string) => void;
  /**
   * TENANT_CLAIM_SECRET: installed into app_private.tenant_claim_keys after the migrations (added
   * next to any earlier key, so a secret can rotate). Without one, no new key is installed.
   */
  tenantClaimSecret?: string;
  /** With tenantClaimSecret: remove every other key (a database only this process uses). */
  retireOtherClaimKeys?: boolean;
}

export interface MigrateResult {
  /** True when this run recorded the seed's Prisma-made layout as migration 0000. */
  adopted: boolean;
  /** Tags of the migrations this run executed, in order. */
  applied: string[];
}

export async function migrate(backend: Backend, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  const migrations = readMigrations();

  return withConnection(backend, async (conn) => {
    await conn.query(`SELECT pg_advisory_lock(hashtext($1))`, [LOCK_NAME]);
    try {
      let lastApplied = await lastRecordedMigration(conn);
      let adopted = false;

      if (lastApplied === undefined) {
        const layout = readSeedLayout();
        const present = await presentSeedObjects(conn, layout);
        if (present.length > 0) {
          const problems = await seedLayoutProblems(conn, layout);
          if (problems.length > 0) throw new SeedLayoutMismatchError(present, problems);
          const seedMigration = migrations.find((m) => m.tag === SEED_LAYOUT_TAG);
          if (!seedMigration) throw new Error(`migration ${SEED_LAYOUT_TAG} is missing from ${MIGRATIONS_FOLDER}`);
          const [prisma] = await conn.query<{ present: boolean }>(`SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present`);
          await recordAsApplied(conn, seedMigration);
          lastApplied = seedMigration.folderMillis;
          adopted = true;
          log(
            `adopted an existing seed database: its layout matches ${SEED_LAYOUT_TAG}, recorded as applied` +
              (prisma?.present ? " (_prisma_migrations kept)" : ""),
          );
        }
      }

      // Drizzle's rule: every migration newer than the newest recorded one runs, in one transaction.
      const pending = migrations.filter((m) => lastApplied === undefined || lastApplied < m.folderMillis);
      await conn.runMigrator();

      if (opts.tenantClaimSecret) {
        const keyId = await installTenantClaimKey(backend, opts.tenantClaimSecret, { retireOthers: opts.retireOtherClaimKeys ?? false });
        log(`tenant claim key ${keyId} installed`);
      }

      const applied = pending.map((m) => m.tag);
      const ms = Math.round(performance.now() - started);
      log(
        applied.length > 0
          ? `applied ${applied.length} migration(s) to ${backend.label}: ${applied.join(", ")} (${ms} ms)`
          : `${backend.label} is up to date, nothing to apply (${ms} ms)`,
      );
      return { adopted, applied };
    } finally {
      await conn.query(`SELECT pg_advisory_unlock(hashtext($1))`, [LOCK_NAME]).catch(() => {});
    }
  });
}

/**
 * Where `db:migrate` / `db:seed` point: MIGRATION_DATABASE_URL (owner role), else DATABASE_URL,
 * else the embedded PGlite database under .data/pglite (created if absent).
 */
export function resolveMigrationTarget(env: Record<string, string | undefined> = process.env): BackendOptions {
  const databaseUrl = env.MIGRATION_DATABASE_URL || env.DATABASE_URL;
  if (databaseUrl) return { databaseUrl };
  mkdirSync(EMBEDDED_DATA_DIR, { recursive: true });
  return { dataDir: EMBEDDED_DATA_DIR };
}

export class SeedLayoutMismatchError extends Error {
  constructor(
    readonly present: string[],
    readonly problems: string[],
  ) {
    super(
      `refusing to adopt this database: it has no Drizzle migration history and contains part of the ` +
        `seed layout (${present.join(", ")}), but not exactly the layout of ${SEED_LAYOUT_TAG}:\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        `\nFix the database (or start from an empty one); nothing was changed.`,
    );
    this.name = "SeedLayoutMismatchError";
  }
}

// ---------------------------------------------------------------------------------------------
// Migration files and bookkeeping

interface Migration extends MigrationMeta {
  tag: string;
}

interface Journal {
  entries: { idx: number; when: number; tag: string; breakpoints: boolean }[];
}

function readMigrations(): Migration[] {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, "utf8")) as Journal;
  // Drizzle's own reader, so hashes and timestamps are exactly what its migrator records.
  const files = readMigrationFiles(MIGRATION_CONFIG);
  return files.map((file, i) => ({ ...file, tag: journal.entries[i]!.tag }));
}

async function lastRecordedMigration(conn: Connection): Promise<number | undefined> {
  const [table] = await conn.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    `"${MIGRATIONS_SCHEMA}"."${MIGRATIONS_TABLE}"`,
  ]);
  if (!table?.present) return undefined;
  // Same query as Drizzle's migrator: the newest created_at decides what is pending.
  const [last] = await conn.query<{ created_at: string | number | null }>(
    `SELECT created_at FROM "${MIGRATIONS_SCHEMA}"."${MIGRATIONS_TABLE}" ORDER BY created_at DESC LIMIT 1`,
  );
  return last ? Number(last.created_at) : undefined;
}

/** Records a migration exactly as drizzle-orm's PgDialect.migrate does after running it. */
async function recordAsApplied(conn: Connection, migration: Migration): Promise<void> {
  await conn.transaction(async (query) => {
    await query(`CREATE SCHEMA IF NOT EXISTS "${MIGRATIONS_SCHEMA}"`);
    await query(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_SCHEMA}"."${MIGRATIONS_TABLE}" (
         id SERIAL PRIMARY KEY,
         hash text NOT NULL,
         created_at bigint
       )`,
    );
    await query(`INSERT INTO "${MIGRATIONS_SCHEMA}"."${MIGRATIONS_TABLE}" ("hash", "created_at") VALUES ($1, $2)`, [
      migration.hash,
      migration.folderMillis,
    ]);
  });
}

// ---------------------------------------------------------------------------------------------
// The seed layout, as migration 0000's snapshot describes it, and its verification

interface SnapshotColumn {
  name: string;
  type: string;
  typeSchema?: string;
  notNull: boolean;
  primaryKey: boolean;
}
interface SnapshotTable {
  name: string;
  columns: Record<string, SnapshotColumn>;
  indexes: Record<string, { name: string; isUnique: boolean }>;
  foreignKeys: Record<string, { name: string }>;
}
interface SeedLayout {
  tables: SnapshotTable[];
  enums: { name: string; values: string[] }[];
}

function readSeedLayout(): SeedLayout {
  const snapshot = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/0000_snapshot.json`, "utf8")) as {
    tables: Record<string, SnapshotTable>;
    enums: Record<string, { name: string; values: string[] }>;
  };
  return { tables: Object.values(snapshot.tables), enums: Object.values(snapshot.enums) };
}

/** Seed tables and enum types that exist in schema public. */
async function presentSeedObjects(conn: Connection, layout: SeedLayout): Promise<string[]> {
  const tables = await conn.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname = ANY($1) ORDER BY 1`,
    [layout.tables.map((t) => t.name)],
  );
  const types = await conn.query<{ name: string }>(
    `SELECT typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' AND t.typname = ANY($1) ORDER BY 1`,
    [layout.enums.map((e) => e.name)],
  );
  return [...tables.map((t) => `table ${t.name}`), ...types.map((t) => `type "${t.name}"`)];
}

/** Everything migration 0000 would create that is missing or different; empty when it all matches. */
async function seedLayoutProblems(conn: Connection, layout: SeedLayout): Promise<string[]> {
  const problems: string[] = [];

  const enumRows = await conn.query<{ name: string; labels: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = 'public' GROUP BY t.typname`,
  );
  const enums = new Map(enumRows.map((e) => [e.name, e.labels]));
  for (const expected of layout.enums) {
    const labels = enums.get(expected.name);
    if (!labels) problems.push(`enum type "${expected.name}" is missing`);
    else if (labels.join(",") !== expected.values.join(","))
      problems.push(`enum type "${expected.name}" has labels (${labels.join(", ")}), expected (${expected.values.join(", ")})`);
  }

  const columnRows = await conn.query<{ table: string; name: string; type: string; typname: string; notnull: boolean }>(
    `SELECT c.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            t.typname, a.attnotnull AS notnull
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  const columns = new Map(columnRows.map((c) => [`${c.table}.${c.name}`, c]));
  const tableNames = new Set(columnRows.map((c) => c.table));

  const relationRows = await conn.query<{ name: string; kind: string; table: string; isunique: boolean }>(
    `SELECT i.relname AS name, 'index' AS kind, c.relname AS "table", x.indisunique AS isunique
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public'
     UNION ALL
     SELECT k.conname, k.contype::text, c.relname, false
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND k.contype IN ('p', 'f')`,
  );
  const relations = new Map(relationRows.map((r) => [`${r.kind}:${r.name}`, r]));

  for (const table of layout.tables) {
    if (!tableNames.has(table.name)) {
      problems.push(`table ${table.name} is missing`);
      continue;
    }
    for (const col of Object.values(table.columns)) {
      const actual = columns.get(`${table.name}.${col.name}`);
      if (!actual) {
        problems.push(`column ${table.name}."${col.name}" is missing`);
        continue;
      }
      const sameType = col.typeSchema ? actual.typname === col.type : actual.type === formatSnapshotType(col.type);
      if (!sameType) problems.push(`column ${table.name}."${col.name}" is ${actual.type}, expected ${col.type}`);
      if (actual.notnull !== col.notNull)
        problems.push(`column ${table.name}."${col.name}" is ${actual.notnull ? "NOT NULL" : "nullable"}, expected the opposite`);
    }
    if (!relations.has(`p:${table.name}_pkey`)) problems.push(`primary key ${table.name}_pkey is missing`);
    for (const index of Object.values(table.indexes)) {
      const actual = relations.get(`index:${index.name}`);
      if (!actual || actual.table !== table.name) problems.push(`index ${index.name} on ${table.name} is missing`);
      else if (actual.isunique !== index.isUnique)
        problems.push(`index ${index.name} is ${actual.isunique ? "" : "not "}unique, expected the opposite`);
    }
    for (const fk of Object.values(table.foreignKeys)) {
      if (!relations.has(`f:${fk.name}`)) problems.push(`foreign key ${fk.name} on ${table.name} is missing`);
    }
  }
  return problems;
}

/** drizzle-kit snapshot type → format_type() spelling, for the types the seed layout uses. */
function formatSnapshotType(type: string): string {
  const timestamp = /^timestamp \((\d)\)$/.exec(type);
  if (timestamp) return `timestamp(${timestamp[1]}) without time zone`;
  return type;
}

// ---------------------------------------------------------------------------------------------
// One connection for the whole run (the advisory lock is per session), on either backend

type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

interface Connection {
  query: Query;
  transaction(work: (query: Query) => Promise<void>): Promise<void>;
  runMigrator(): Promise<void>;
}

async function withConnection<T>(backend: Backend, work: (conn: Connection) => Promise<T>): Promise<T> {
  if (backend.kind === "pglite") {
    const pglite = backend.db;
    return work({
      query: async <R>(sql: string, params?: unknown[]) => (await pglite.query<R>(sql, params)).rows,
      transaction: async (fn) => {
        await pglite.transaction(async (tx) => fn(async <R>(sql: string, params?: unknown[]) => (await tx.query<R>(sql, params)).rows));
      },
      runMigrator: () => migratePglite(drizzlePglite(pglite), MIGRATION_CONFIG),
    });
  }
  const client = await backend.pool.connect();
  const query: Query = async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[];
  let failed = false;
  try {
    return await work({
      query,
      transaction: async (fn) => {
        await client.query("BEGIN");
        try {
          await fn(query);
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK");
          throw err;
        }
      },
      // A PoolClient (not the pool), so Drizzle's transaction runs on this locked session.
      runMigrator: () => migrateNodePg(drizzleNodePg(client), MIGRATION_CONFIG),
    });
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // After a failure the session is discarded rather than pooled: that also drops its lock.
    client.release(failed);
  }
}
