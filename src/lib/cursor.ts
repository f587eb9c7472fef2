// Keyset pagination cursors: opaque to callers, they carry the last row's sort key and id so the
// next page is an index range scan (`(createdAt, id) < (…)`), not an OFFSET.
import { invalidRequest } from "./errors.js";

export interface CursorPosition {
  at: Date;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return btoa(JSON.stringify([position.at.toISOString(), position.id]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const json = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const [at, id] = JSON.parse(json) as [unknown, unknown];
    const date = new Date(String(at));
    if (typeof at !== "string" || typeof id !== "string" || Number.isNaN(date.getTime())) throw new Error("shape");
    return { at: date, id };
  } catch {
    throw invalidRequest("The cursor is not valid; use the nextCursor of a previous page.", [
      { path: "cursor", message: "Invalid cursor" },
    ]);
  }
}

/** Given limit+1 rows, the page and the cursor of the next one. */
export function page<T>(rows: T[], limit: number, position: (row: T) => CursorPosition): { data: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  return { data, nextCursor: more ? encodeCursor(position(data[data.length - 1]!)) : null };
}
