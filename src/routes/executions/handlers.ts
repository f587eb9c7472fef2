import { and, desc, eq, getTableColumns, gte, lt } from "drizzle-orm";
import { executionLogs } from "../../../drizzle/schema.js";
import { afterCursor } from "../../db/keyset.js";
import { tenantBatch } from "../../db/tenant.js";
import { database } from "../../http/context.js";
import { handle } from "../../http/route.js";
import { decodeCursor, page } from "../../lib/cursor.js";
import { notFound } from "../../lib/errors.js";
import { getExecution, listExecutions } from "./routes.js";
import { toExecution, toExecutionSummary } from "./schema.js";

// Lists never read the JSON payloads: they can be large, and a page of 100 would carry them all.
const { input: _input, output: _output, error: _error, logs: _logs, ...summaryColumns } = getTableColumns(executionLogs);

export const list = handle(listExecutions, async (c, { scope }) => {
  const q = c.req.valid("query");
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .select(summaryColumns)
      .from(executionLogs)
      .where(
        and(
          eq(executionLogs.clientId, scope.clientId),
          q.workflowId ? eq(executionLogs.workflowId, q.workflowId) : undefined,
          q.status ? eq(executionLogs.status, q.status) : undefined,
          q.adAccountId ? eq(executionLogs.adAccountId, q.adAccountId) : undefined,
          q.since ? gte(executionLogs.startedAt, new Date(q.since)) : undefined,
          q.until ? lt(executionLogs.startedAt, new Date(q.until)) : undefined,
          after ? afterCursor(executionLogs.startedAt, executionLogs.id, after, "desc") : undefined,
        ),
      )
      .orderBy(desc(executionLogs.startedAt), desc(executionLogs.id))
      .limit(q.limit + 1),
  ]);
  const { data, nextCursor } = page(rows, q.limit, (r) => ({ at: r.startedAt, id: r.id }));
  return c.json({ data: data.map(toExecutionSummary), nextCursor }, 200);
});

export const read = handle(getExecution, async (c, { scope }) => {
  const { id } = c.req.valid("param");
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .select()
      .from(executionLogs)
      .where(and(eq(executionLogs.id, id), eq(executionLogs.clientId, scope.clientId))),
  ]);
  const row = rows[0];
  if (!row) throw notFound("No execution with this id.");
  return c.json({ data: toExecution(row) }, 200);
});
