// Workflows, ad accounts, executions and reports arranged as the owner (bypassing row-level
// security), for the executions and reports tests.
import { newId } from "../../drizzle/ids.js";
import { ownerSql } from "./fixtures.js";

export async function createWorkflow(clientId: string, createdBy: string, opts: { name?: string } = {}): Promise<string> {
  const id = newId();
  await ownerSql.query(`insert into workflows (id, name, "clientId", "createdBy", "updatedAt") values ($1, $2, $3, $4, now())`, [
    id,
    opts.name ?? `Workflow ${id}`,
    clientId,
    createdBy,
  ]);
  return id;
}

export async function createAdAccount(clientId: string): Promise<string> {
  const id = newId();
  await ownerSql.query(
    `insert into ad_accounts (id, "metaAdAccountId", "accessToken", name, "clientId", "updatedAt") values ($1, $2, 'x', 'Ads', $3, now())`,
    [id, `act_${Date.now()}${Math.floor(Math.random() * 1e9)}`, clientId],
  );
  return id;
}

export interface ExecutionFixture {
  startedAt?: Date;
  status?: "SUCCESS" | "FAILED" | "RUNNING" | "CANCELLED" | "TIMEOUT";
  adAccountId?: string | null;
  n8nExecutionId?: string | null;
  input?: unknown;
  output?: unknown;
  error?: unknown;
  logs?: unknown;
}

/** Inserts executions in one statement; returns their ids in the order given. */
export async function createExecutions(clientId: string, workflowId: string, executions: ExecutionFixture[]): Promise<string[]> {
  const ids = executions.map(() => newId());
  const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
  await ownerSql.query(
    `insert into execution_logs (id, status, "startedAt", "n8nExecutionId", "adAccountId", input, output, error, logs, "clientId", "workflowId", "apiCallsUsed", duration)
     select id, status::"ExecutionStatus", "startedAt", "n8nExecutionId", "adAccountId", input::jsonb, output::jsonb, error::jsonb, logs::jsonb, $10, $11, 3, 1000
     from unnest($1::text[], $2::text[], $3::timestamp(3)[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       as t(id, status, "startedAt", "n8nExecutionId", "adAccountId", input, output, error, logs)`,
    [
      ids,
      executions.map((e) => e.status ?? "SUCCESS"),
      executions.map((e) => (e.startedAt ?? new Date()).toISOString().replace("Z", "")),
      executions.map((e) => e.n8nExecutionId ?? null),
      executions.map((e) => e.adAccountId ?? null),
      executions.map((e) => json(e.input)),
      executions.map((e) => json(e.output)),
      executions.map((e) => json(e.error)),
      executions.map((e) => json(e.logs)),
      clientId,
      workflowId,
    ],
  );
  return ids;
}

export async function createExecution(clientId: string, workflowId: string, fixture: ExecutionFixture = {}): Promise<string> {
  const [id] = await createExecutions(clientId, workflowId, [fixture]);
  return id!;
}

export interface ReportFixture {
  status?: "GENERATED" | "SENT" | "FAILED" | "DRAFT";
  type?: "WEEKLY_STORYTELLING" | "MONTHLY_SUMMARY" | "PERFORMANCE_ALERT" | "BUDGET_RECOMMENDATION" | "CUSTOM";
  periodStart?: Date;
  periodEnd?: Date;
  workflowId?: string | null;
  executionLogId?: string | null;
  createdAt?: Date;
  title?: string;
}

export async function createReport(clientId: string, userId: string, fixture: ReportFixture = {}): Promise<string> {
  const id = newId();
  const utc = (d: Date) => d.toISOString().replace("Z", "");
  await ownerSql.query(
    `insert into reports (id, title, type, status, "periodStart", "periodEnd", content, recipients, "clientId", "userId", "workflowId", "executionLogId", "createdAt", "updatedAt")
     values ($1, $2, $3, $4, $5, $6, '# Report', '["team@tenant.test"]', $7, $8, $9, $10, $11, $11)`,
    [
      id,
      fixture.title ?? `Report ${id}`,
      fixture.type ?? "WEEKLY_STORYTELLING",
      fixture.status ?? "GENERATED",
      utc(fixture.periodStart ?? new Date("2026-11-16T00:00:00Z")),
      utc(fixture.periodEnd ?? new Date("2026-11-23T00:00:00Z")),
      clientId,
      userId,
      fixture.workflowId ?? null,
      fixture.executionLogId ?? null,
      utc(fixture.createdAt ?? new Date()),
    ],
  );
  return id;
}
