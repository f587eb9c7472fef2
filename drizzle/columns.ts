// Column builders shared by every table, matching the seed layout's conventions: text ids made by
// the application, TIMESTAMP(3) without time zone holding UTC, createdAt defaulting in the
// database and updatedAt always written by the application.
import { sql } from "drizzle-orm";
import { text, timestamp } from "drizzle-orm/pg-core";
import { newId } from "./ids";

/** TIMESTAMP(3) (no time zone); values are UTC instants, read and written as Date. */
export const timestamp3 = (name: string) => timestamp(name, { precision: 3, mode: "date" });

export const idColumn = () => text("id").primaryKey().$defaultFn(newId);

export const createdAtColumn = () => timestamp3("createdAt").notNull().default(sql`CURRENT_TIMESTAMP`);

// The seed had no database default for updatedAt, so every other writer (n8n Postgres nodes,
// ad-hoc SQL) had to set it; migration 0003 adds one. This service still sets it itself on every
// insert and update: the default does not move on UPDATE.
export const updatedAtColumn = () =>
  timestamp3("updatedAt")
    .notNull()
    .default(sql`CURRENT_TIMESTAMP`)
    .$defaultFn(() => new Date())
    .$onUpdate(() => new Date());
