// Recording what n8n reports about an execution, in one batch of two statements:
//
// 1. one INSERT … ON CONFLICT ("clientId","n8nExecutionId") DO UPDATE, with CTEs that find the
//    workflow (by our id or n8n's, inside the tenant), the ad account (inside the tenant), create
//    the attached report (ON CONFLICT ("executionLogId") DO NOTHING: at most one per execution) and
//    advance the workflow's lastExecutedAt. Concurrent identical reports serialize on the row: one
//    inserts (xmax = 0 → 201), every other updates the committed row (→ 200).
// 2. the stored execution and its report id, read after (1) in the same transaction.
//
// Forward-only rules, applied in the DO UPDATE:
// - status moves only from RUNNING to a terminal status; the first terminal status and its stop
//   time stand (a second terminal report cannot turn SUCCESS into FAILED or the reverse);
// - startedAt is the earliest one known; duration is always completedAt − startedAt;
// - the report that ends the execution replaces input/output/error/logs it carries (it knows the
//   most); any other report only fills the ones still empty;
// - apiCallsUsed and dataProcessed keep the larger count; the ad account, once known, stays.
import { and, eq, sql, type SQL } from "drizzle-orm";
import { executionLogs } from "../../drizzle/schema.js";
import type { ExecutionStatus, ReportType } from "../../drizzle/enums.js";
import { newId } from "../../drizzle/ids.js";
import type { Database } from "../db/client.js";
import { tenantBatch, type TenantScope } from "../db/tenant.js";
import { internal, invalidField, notFound } from "../lib/errors.js";

export interface Ingestion {
  n8nExecutionId: string;
  workflow: { id?: string | undefined; n8nId?: string | undefined };
  status: ExecutionStatus;
  startedAt?: string | undefined;
  stoppedAt?: string | undefined;
  input?: unknown;
  output?: unknown;
  error?: unknown;
  logs?: unknown;
  apiCallsUsed?: number | undefined;
  dataProcessed?: number | undefined;
  adAccount?: { id?: string | undefined; metaId?: string | undefined } | undefined;
  report?:
    | {
        title: string;
        type: ReportType;
        periodStart: string;
        periodEnd: string;
        content: string;
        recipients: string[];
        htmlContent?: string | undefined;
        summary?: unknown;
      }
    | undefined;
}

const NOW = sql`(now() at time zone 'utc')`;
/** An ISO instant with any offset, as the UTC timestamp(3) the columns hold. */
const utc = (value: string | undefined) =>
  value === undefined ? sql`null::timestamp(3)` : sql`(${value}::timestamptz at time zone 'utc')`;
/** JSON as sent; an absent value or a JSON null is "not reported". */
const json = (value: unknown) => (value === undefined || value === null ? sql`null::jsonb` : sql`${JSON.stringify(value)}::jsonb`);
const text = (value: string | undefined) => (value === undefined ? sql`null::text` : sql`${value}::text`);
const millisBetween = (from: SQL, to: SQL) => sql`greatest(0, round(extract(epoch from (${to} - ${from})) * 1000))::int`;

function upsertStatement(tenantId: string, x: Ingestion): SQL {
  const terminal = x.status !== "RUNNING";
  const startedAt = sql`coalesce(${utc(x.startedAt)}, ${terminal ? utc(x.stoppedAt) : sql`null`}, ${NOW})`;
  const completedAt = terminal ? sql`coalesce(${utc(x.stoppedAt)}, ${NOW})` : sql`null::timestamp(3)`;
  const accountGiven = x.adAccount?.id !== undefined || x.adAccount?.metaId !== undefined;

  // The stored row is `e`, this report is `excluded`.
  const advancing = sql`(e.status = 'RUNNING' and excluded.status <> 'RUNNING')`;
  const keptStart = sql`least(e."startedAt", excluded."startedAt")`;
  const keptStop = sql`(case when e.status = 'RUNNING' then excluded."completedAt" else e."completedAt" end)`;
  const payload = (column: string) => {
    const c = sql.identifier(column);
    return sql`${c} = case when ${advancing} then coalesce(excluded.${c}, e.${c}) else coalesce(e.${c}, excluded.${c}) end`;
  };
  const r = x.report;

  return sql`
    with wf as (
      select w.id, w."createdBy" from workflows w
      where w."clientId" = ${tenantId}
        and (${text(x.workflow.id)} is null or w.id = ${text(x.workflow.id)})
        and (${text(x.workflow.n8nId)} is null or w."n8nWorkflowId" = ${text(x.workflow.n8nId)})
    ),
    acct as (
      select a.id from ad_accounts a
      where a."clientId" = ${tenantId}
        and (a.id = ${text(x.adAccount?.id)} or a."metaAdAccountId" = ${text(x.adAccount?.metaId)})
      limit 1
    ),
    src as (
      select wf.id as "workflowId", wf."createdBy", (select id from acct) as "adAccountId" from wf
      where ${!accountGiven}::boolean or exists (select 1 from acct)
    ),
    up as (
      insert into execution_logs as e
        (id, status, "startedAt", "completedAt", duration, "n8nExecutionId", input, output, error, logs,
         "apiCallsUsed", "dataProcessed", "clientId", "workflowId", "adAccountId")
      select ${newId()}, ${x.status}::"ExecutionStatus", ${startedAt}, ${completedAt},
        ${terminal ? millisBetween(startedAt, completedAt) : sql`null::int`}, ${x.n8nExecutionId},
        ${json(x.input)}, ${json(x.output)}, ${json(x.error)}, ${json(x.logs)},
        ${x.apiCallsUsed ?? 0}::int, ${x.dataProcessed ?? null}::int, ${tenantId}, src."workflowId", src."adAccountId"
      from src
      on conflict ("clientId", "n8nExecutionId") do update set
        status = case when e.status = 'RUNNING' then excluded.status else e.status end,
        "startedAt" = ${keptStart},
        "completedAt" = ${keptStop},
        duration = case when ${keptStop} is null then null else ${millisBetween(keptStart, keptStop)} end,
        ${payload("input")}, ${payload("output")}, ${payload("error")}, ${payload("logs")},
        "apiCallsUsed" = greatest(e."apiCallsUsed", excluded."apiCallsUsed"),
        "dataProcessed" = greatest(e."dataProcessed", excluded."dataProcessed"),
        "adAccountId" = coalesce(e."adAccountId", excluded."adAccountId")
      returning e.id, e."workflowId", e."adAccountId", e."startedAt", (e.xmax = 0) as inserted
    ),
    rep as (
      insert into reports
        (id, title, type, status, "periodStart", "periodEnd", content, "htmlContent", summary, recipients,
         "clientId", "userId", "workflowId", "adAccountId", "executionLogId", "createdAt", "updatedAt")
      select ${newId()}, ${r?.title ?? null}::text, ${r?.type ?? null}::"ReportType", 'GENERATED', ${utc(r?.periodStart)}, ${utc(r?.periodEnd)},
        ${r?.content ?? null}::text, ${text(r?.htmlContent)}, ${json(r?.summary)}, ${json(r?.recipients)},
        ${tenantId}, src."createdBy", up."workflowId", up."adAccountId", up.id, ${NOW}, ${NOW}
      from up cross join src
      where ${r !== undefined}::boolean
      on conflict ("executionLogId") do nothing
      returning id
    ),
    touched as (
      update workflows w set "lastExecutedAt" = up."startedAt"
      from up
      where w.id = up."workflowId" and w."clientId" = ${tenantId}
        and (w."lastExecutedAt" is null or w."lastExecutedAt" < up."startedAt")
      returning w.id
    )
    select (select count(*) from wf)::int as "workflows", (select count(*) from acct)::int as "accounts",
      up.id, up.inserted, (select count(*) from rep)::int as "reportsCreated", (select count(*) from touched)::int as "touched"
    from (select 1) as one left join up on true`;
}

export interface Ingested {
  created: boolean;
  execution: typeof executionLogs.$inferSelect;
  reportId: string | null;
}

export async function ingestExecution(db: Database, scope: TenantScope & { clientId: string }, x: Ingestion): Promise<Ingested> {
  const [upsert, stored] = await tenantBatch(db, scope, [
    db.execute(upsertStatement(scope.clientId, x)),
    db
      .select({
        execution: executionLogs,
        // Spelled out: inside a subquery an unqualified "id" would be the report's own.
        reportId: sql<string | null>`(select r.id from reports r where r."executionLogId" = "execution_logs"."id")`,
      })
      .from(executionLogs)
      .where(and(eq(executionLogs.clientId, scope.clientId), eq(executionLogs.n8nExecutionId, x.n8nExecutionId))),
  ]);
  const outcome = upsert.rows[0] as { workflows: number; accounts: number; id: string | null; inserted: boolean | null } | undefined;
  if (!outcome || outcome.workflows === 0) throw notFound(workflowNotFound(x.workflow));
  if (outcome.accounts === 0 && x.adAccount) {
    throw x.adAccount.id !== undefined
      ? invalidField("adAccountId", `No ad account with id "${x.adAccount.id}" in this client.`)
      : invalidField("metaAdAccountId", `No ad account with metaAdAccountId "${x.adAccount.metaId}" in this client.`);
  }
  const row = stored[0];
  if (!row || outcome.id === null) throw internal(new Error("execution upsert: the statement returned no row"));
  return { created: outcome.inserted === true, execution: row.execution, reportId: row.reportId };
}

function workflowNotFound(w: Ingestion["workflow"]): string {
  if (w.id !== undefined && w.n8nId !== undefined) return `No workflow with id "${w.id}" and n8nWorkflowId "${w.n8nId}" in this client.`;
  return w.id !== undefined
    ? `No workflow with id "${w.id}" in this client.`
    : `No workflow with n8nWorkflowId "${w.n8nId}" in this client.`;
}
