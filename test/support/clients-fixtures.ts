// Fixtures for the clients tests: unique slugs, and executions to count in usage.
import { newId } from "../../drizzle/ids.js";
import { ownerSql } from "./fixtures.js";

/** A slug no other test uses. */
export const uniqueSlug = (prefix = "client") => `${prefix}-${newId()}`;

/** A workflow of the client, for executions to hang off. */
export async function createWorkflow(clientId: string, createdBy: string): Promise<string> {
  const id = newId();
  await ownerSql.query(
    `insert into workflows (id, name, type, "clientId", "createdBy", "updatedAt") values ($1, 'Usage', 'CUSTOM', $2, $3, now())`,
    [id, clientId, createdBy],
  );
  return id;
}

/** An execution that started `daysAgo` days ago (UTC). */
export async function createExecution(
  clientId: string,
  workflowId: string,
  opts: { status: "SUCCESS" | "FAILED" | "RUNNING" | "CANCELLED" | "TIMEOUT"; daysAgo: number; apiCallsUsed?: number },
): Promise<void> {
  await ownerSql.query(
    `insert into execution_logs (id, status, "startedAt", "apiCallsUsed", "clientId", "workflowId")
     values ($1, $2, (now() at time zone 'utc') - make_interval(days => $3), $4, $5, $6)`,
    [newId(), opts.status, opts.daysAgo, opts.apiCallsUsed ?? 0, clientId, workflowId],
  );
}
