// Writes the demo data set (dev/demo/data.ts) into a migrated database: one transaction, one
// INSERT per table (rows travel as one JSON parameter), ON CONFLICT DO NOTHING on fixed ids, so a
// second run changes nothing. Node-side only (dev stack, scripts, tests): the Worker never seeds.
import { inTransaction, queryRows, type Backend, type BoundQuery } from "../../ops/backend.js";
import { buildDemoData, type DemoData } from "./data.js";

export { DEMO_CLIENT_IDS, DEMO_USERS, buildDemoData, type DemoUser } from "./data.js";

export interface SeedOptions {
  /** Anchor of the relative timestamps ("60 days ago" …); defaults to now. */
  now?: Date;
}

type SeedTable = keyof DemoData;

export interface SeedSummary {
  /** Rows this run inserted, per table (0 everywhere on a repeat). */
  inserted: Record<SeedTable, number>;
  /** Rows in each table afterwards. */
  total: Record<SeedTable, number>;
  ms: number;
}

// Parents before children, so foreign keys hold at every statement.
const TABLES: [SeedTable, string][] = [
  ["clients", "clients"],
  ["users", "users"],
  ["adAccounts", "ad_accounts"],
  ["workflows", "workflows"],
  ["executionLogs", "execution_logs"],
  ["reports", "reports"],
];

export class DatabaseNotMigratedError extends Error {
  constructor(missing: string[]) {
    super(`the database has no ${missing.join(", ")} table(s): run \`npm run db:migrate\` first`);
    this.name = "DatabaseNotMigratedError";
  }
}

export async function seedDemo(backend: Backend, opts: SeedOptions = {}): Promise<SeedSummary> {
  const started = performance.now();
  const [check] = await queryRows<{ missing: string[] }>(
    backend,
    `SELECT coalesce(array_agg(name ORDER BY ord), '{}') AS missing
       FROM unnest($1::text[]) WITH ORDINALITY AS t(name, ord)
      WHERE to_regclass(format('public.%I', name)) IS NULL`,
    [TABLES.map(([, table]) => table)],
  );
  if (check && check.missing.length > 0) throw new DatabaseNotMigratedError(check.missing);

  const data = buildDemoData(opts.now);
  const inserted = {} as Record<SeedTable, number>;
  const total = {} as Record<SeedTable, number>;
  await inTransaction(backend, async (query) => {
    for (const [key, table] of TABLES) inserted[key] = await insertMissing(query, table, data[key]);
    for (const [key, table] of TABLES) {
      const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
      total[key] = row?.n ?? 0;
    }
  });
  return { inserted, total, ms: Math.round(performance.now() - started) };
}

/**
 * One statement for all rows: jsonb_populate_recordset turns the JSON array into rows of the
 * table's own type (Dates arrive as ISO strings; a TIMESTAMP without time zone keeps their UTC
 * digits). Only the columns the rows carry are inserted, so the others get their defaults.
 */
async function insertMissing(query: BoundQuery, table: string, rows: readonly object[]): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].map((c) => `"${c}"`).join(", ");
  const result = await query<{ id: string }>(
    `INSERT INTO "${table}" (${columns})
     SELECT ${columns} FROM jsonb_populate_recordset(NULL::"${table}", $1::jsonb)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [JSON.stringify(rows)],
  );
  return result.length;
}
