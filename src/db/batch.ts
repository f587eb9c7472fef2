// Statements that belong together travel as one db.batch: one HTTP round trip, one transaction
// (the proxy runs BEGIN … COMMIT and rolls everything back on the first error). This is the only
// way to make several writes atomic on neon-http, which has no interactive transactions.
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import type { Database } from "./client.js";

export async function runBatch<const T extends readonly [BatchItem<"pg">, ...BatchItem<"pg">[]]>(
  db: Database,
  statements: T,
): Promise<BatchResponse<T>> {
  return db.batch(statements as unknown as [BatchItem<"pg">, ...BatchItem<"pg">[]]) as Promise<BatchResponse<T>>;
}
