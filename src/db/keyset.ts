// The WHERE condition of a keyset page: rows strictly after the cursor's (sort value, id) in the
// list's direction. The leading `<=` / `>=` on the sort column alone is redundant logically but is
// what lets Postgres start the index scan at the cursor instead of filtering every newer row.
import { and, eq, gt, gte, lt, lte, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { CursorPosition } from "../lib/cursor.js";

export type SortOrder = "asc" | "desc";

export function afterCursor(sortColumn: PgColumn, idColumn: PgColumn, position: CursorPosition, order: SortOrder): SQL | undefined {
  const [within, beyond, beyondId] = order === "desc" ? [lte, lt, lt] : [gte, gt, gt];
  return and(
    within(sortColumn, position.at),
    or(beyond(sortColumn, position.at), and(eq(sortColumn, position.at), beyondId(idColumn, position.id))),
  );
}
