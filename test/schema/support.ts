// Building blocks for the schema tests: a seed-era database made from the Prisma fixture, the
// seed-layout migration on its own, and per-table fingerprints to prove no row changed.
import { readFileSync } from "node:fs";
import { execScript, queryRows, type Backend } from "../../ops/backend.js";
import { MIGRATIONS_FOLDER, MIGRATIONS_SCHEMA, MIGRATIONS_TABLE, SEED_LAYOUT_TAG } from "../../ops/migrate.js";

export const SEED_TABLES = ["clients", "users", "ad_accounts", "workflows", "execution_logs", "reports"] as const;

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

/** What the seed's `prisma migrate deploy` leaves behind: its layout and _prisma_migrations. */
export async function loadPrismaSeedLayout(backend: Backend): Promise<void> {
  await execScript(backend, fixture("seed-prisma.sql"));
}

/** Rows written by the seed-era application (three tenants, every status). */
export async function loadSeedEraRows(backend: Backend): Promise<void> {
  await execScript(backend, fixture("seed-rows.sql"));
}

/** Runs migration 0000 by itself, statement by statement, without any bookkeeping. */
export async function applySeedLayoutMigration(backend: Backend): Promise<void> {
  const sql = readFileSync(`${MIGRATIONS_FOLDER}/${SEED_LAYOUT_TAG}.sql`, "utf8");
  for (const statement of sql.split("--> statement-breakpoint")) await execScript(backend, statement);
}

export interface TableFingerprint {
  rows: number;
  checksum: string;
}

/** The seed layout's columns per table, from the snapshot drizzle-kit took for migration 0000. */
function seedColumns(table: string): string[] {
  const snapshot = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/0000_snapshot.json`, "utf8")) as {
    tables: Record<string, { columns: Record<string, unknown> }>;
  };
  return Object.keys(snapshot.tables[`public.${table}`]!.columns);
}

/**
 * Row count and an md5 over every row's seed-era columns (columns added later by additive
 * migrations are left out: they did not exist before), ordered by id, for each seed table.
 */
export async function tableFingerprints(backend: Backend): Promise<Record<string, TableFingerprint>> {
  const result: Record<string, TableFingerprint> = {};
  for (const table of SEED_TABLES) {
    const [row] = await queryRows<TableFingerprint>(
      backend,
      `SELECT count(*)::int AS rows,
              md5(coalesce(string_agg(
                (SELECT jsonb_object_agg(key, value) FROM jsonb_each(to_jsonb(t)) WHERE key = ANY($1::text[]))::text,
                E'\\n' ORDER BY t.id), '')) AS checksum
         FROM "${table}" t`,
      [seedColumns(table)],
    );
    result[table] = row!;
  }
  return result;
}

/** Drizzle's bookkeeping rows (hash, created_at), oldest first; empty when the table is absent. */
export async function recordedMigrations(backend: Backend): Promise<{ hash: string; created_at: string }[]> {
  const [table] = await queryRows<{ present: boolean }>(backend, `SELECT to_regclass($1) IS NOT NULL AS present`, [
    `"${MIGRATIONS_SCHEMA}"."${MIGRATIONS_TABLE}"`,
  ]);
  if (!table?.present) return [];
  return queryRows(backend, `SELECT hash, created_at::text AS created_at FROM "${MIGRATIONS_SCHEMA}"."${MIGRATIONS_TABLE}" ORDER BY id`);
}

/** Tags of every migration in the journal, in order. */
export function journalTags(): string[] {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, "utf8")) as { entries: { tag: string }[] };
  return journal.entries.map((e) => e.tag);
}
