// Small helpers for what a statement returns.
import { internal } from "../lib/errors.js";

/** The row an INSERT/UPDATE … RETURNING must have produced (its absence is a server bug, not a 404). */
export function returned<T>(rows: readonly T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw internal(new Error(`${what}: the statement returned no row`));
  return row;
}
