// SQL pieces the jobs share.
import { sql, type SQL } from "drizzle-orm";

/** A UTC instant as a timestamp(3) parameter (the seed's columns hold UTC without a zone). */
export const utcParam = (d: Date): SQL => sql`${d.toISOString().replace("Z", "")}::timestamp(3)`;

/** A timestamp(3) column or expression as an ISO string with Z. */
export const isoOf = (expr: SQL): SQL => sql`to_char(${expr}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** `and c.id = $clientId` when the run is limited to one tenant. */
export const onlyTenant = (column: SQL, clientId: string | null): SQL => (clientId ? sql`and ${column} = ${clientId}` : sql``);

/** Rows of a raw statement in a batch result. */
export function rowsOf<T>(result: unknown): T[] {
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}
