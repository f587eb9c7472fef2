// A comparable snapshot of the physical layout of schema `public`: what other services depend on
// (names, types, defaults, constraints, indexes), read from the catalogs, sorted, with Prisma's
// bookkeeping table left out. Two databases with equal snapshots have the same layout.
import { queryRows, type Backend } from "../../ops/backend.js";

export interface CatalogSnapshot {
  tables: string[];
  columns: {
    table: string;
    position: number;
    name: string;
    type: string;
    nullable: boolean;
    default: string | null;
  }[];
  enums: { name: string; labels: string[] }[];
  constraints: { table: string; name: string; type: string; definition: string }[];
  indexes: { table: string; name: string; definition: string }[];
}

const EXCLUDED_TABLES = ["_prisma_migrations"];

export async function catalogSnapshot(backend: Backend): Promise<CatalogSnapshot> {
  const tables = await queryRows<{ name: string }>(
    backend,
    `SELECT c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> ALL($1)
      ORDER BY 1`,
    [EXCLUDED_TABLES],
  );

  const columns = await queryRows<CatalogSnapshot["columns"][number]>(
    backend,
    `SELECT c.relname AS "table",
            (row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum))::int AS position,
            a.attname AS name,
            format_type(a.atttypid, a.atttypmod) AS type,
            NOT a.attnotnull AS nullable,
            pg_get_expr(d.adbin, d.adrelid) AS "default"
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> ALL($1)
        AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY 1, 2`,
    [EXCLUDED_TABLES],
  );

  const enums = await queryRows<{ name: string; labels: string[] }>(
    backend,
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t
       JOIN pg_namespace n ON n.oid = t.typnamespace
       JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = 'public'
      GROUP BY t.typname
      ORDER BY 1`,
  );

  // PG 18 also records NOT NULL as constraints (contype 'n'); nullability is already compared per
  // column, and leaving them out keeps snapshots comparable across server versions.
  const constraints = await queryRows<CatalogSnapshot["constraints"][number]>(
    backend,
    `SELECT c.relname AS "table", k.conname AS name, k.contype::text AS type,
            pg_get_constraintdef(k.oid) AS definition
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname <> ALL($1) AND k.contype <> 'n'
      ORDER BY 1, 2`,
    [EXCLUDED_TABLES],
  );

  const indexes = await queryRows<CatalogSnapshot["indexes"][number]>(
    backend,
    `SELECT tablename AS "table", indexname AS name, indexdef AS definition
       FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> ALL($1)
      ORDER BY 1, 2`,
    [EXCLUDED_TABLES],
  );

  return { tables: tables.map((t) => t.name), columns, enums, constraints, indexes };
}
