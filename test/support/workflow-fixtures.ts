// Workflows, ad accounts and executions arranged as the owner (bypassing the API and its limits).
// Timestamps go in as ISO strings: a JS Date would be sent in the test process's local zone.
import { newId } from "../../drizzle/ids.js";
import type { ExecutionStatus, WorkflowStatus, WorkflowType } from "../../drizzle/enums.js";
import { ownerSql } from "./fixtures.js";

export async function insertAdAccount(clientId: string): Promise<string> {
  const id = newId();
  await ownerSql.query(
    `insert into ad_accounts (id, "metaAdAccountId", "accessToken", name, "clientId", "updatedAt")
     values ($1, $2, 'x', 'Main', $3, now())`,
    [id, `act_${Date.now()}${Math.floor(Math.random() * 1e9)}`, clientId],
  );
  return id;
}

export interface WorkflowFixture {
  name?: string;
  type?: WorkflowType;
  status?: WorkflowStatus;
  n8nWorkflowId?: string | null;
  adAccountId?: string | null;
  createdAt?: string;
}

/** A workflow of `clientId`; `createdBy` must be an existing user's id. */
export async function insertWorkflow(clientId: string, createdBy: string, opts: WorkflowFixture = {}): Promise<string> {
  const id = newId();
  await ownerSql.query(
    `insert into workflows (id, name, type, status, "n8nWorkflowId", "clientId", "adAccountId", "createdBy", "createdAt", "updatedAt")
     values ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9::timestamp, now() at time zone 'utc'), now() at time zone 'utc')`,
    [
      id,
      opts.name ?? `Workflow ${id}`,
      opts.type ?? "WEEKLY_REPORT",
      opts.status ?? "INACTIVE",
      opts.n8nWorkflowId ?? null,
      clientId,
      opts.adAccountId ?? null,
      createdBy,
      opts.createdAt ?? null,
    ],
  );
  return id;
}

export interface ExecutionFixture {
  status: ExecutionStatus;
  startedAt: Date;
  duration?: number | null;
  apiCallsUsed?: number;
}

export async function insertExecution(clientId: string, workflowId: string, e: ExecutionFixture): Promise<string> {
  const id = newId();
  await ownerSql.query(
    `insert into execution_logs (id, status, "startedAt", duration, "apiCallsUsed", "clientId", "workflowId")
     values ($1, $2, $3::timestamp, $4, $5, $6, $7)`,
    [id, e.status, e.startedAt.toISOString(), e.duration ?? null, e.apiCallsUsed ?? 0, clientId, workflowId],
  );
  return id;
}

/** Sets the client's maxWorkflows (the seed's default is 10). */
export async function setMaxWorkflows(clientId: string, max: number): Promise<void> {
  await ownerSql.query(`update clients set "maxWorkflows" = $2 where id = $1`, [clientId, max]);
}
