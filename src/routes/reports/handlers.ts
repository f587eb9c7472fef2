import { and, asc, desc, eq, getTableColumns, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { newId } from "../../../drizzle/ids.js";
import { adAccounts, clients, executionLogs, reports, workflows } from "../../../drizzle/schema.js";
import { afterCursor } from "../../db/keyset.js";
import { tenantBatch } from "../../db/tenant.js";
import { database } from "../../http/context.js";
import { handle } from "../../http/route.js";
import { decodeCursor, page } from "../../lib/cursor.js";
import { conflict, invalidField, invalidRequest, notFound, type ErrorDetail } from "../../lib/errors.js";
import { createReport, deleteReport, getReport, listReports, recordDelivery, updateReport } from "./routes.js";
import { toReport, toReportSummary } from "./schema.js";

// Lists leave out the report bodies (markdown and HTML can be large); GET /v1/reports/{id} has them.
const { content: _content, htmlContent: _htmlContent, ...summaryColumns } = getTableColumns(reports);

const NO_REPORT = "No report with this id.";

export const list = handle(listReports, async (c, { scope }) => {
  const q = c.req.valid("query");
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const direction = q.order === "asc" ? asc : desc;
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .select(summaryColumns)
      .from(reports)
      .where(
        and(
          eq(reports.clientId, scope.clientId),
          q.status ? eq(reports.status, q.status) : undefined,
          q.type ? eq(reports.type, q.type) : undefined,
          q.workflowId ? eq(reports.workflowId, q.workflowId) : undefined,
          q.periodStart ? gte(reports.periodStart, new Date(q.periodStart)) : undefined,
          q.periodEnd ? lte(reports.periodEnd, new Date(q.periodEnd)) : undefined,
          after ? afterCursor(reports.createdAt, reports.id, after, q.order) : undefined,
        ),
      )
      .orderBy(direction(reports.createdAt), direction(reports.id))
      .limit(q.limit + 1),
  ]);
  const { data, nextCursor } = page(rows, q.limit, (r) => ({ at: r.createdAt, id: r.id }));
  return c.json({ data: data.map(toReportSummary), nextCursor }, 200);
});

export const create = handle(createReport, async (c, { principal, scope }) => {
  const body = c.req.valid("json");
  const tenant = scope.clientId;
  const db = database(c);

  // Foreign keys are checked without row-level security, so tenancy of each reference is checked
  // here, in the INSERT's own WHERE (read again by the first statement to say which field failed).
  const belongs = (table: typeof workflows | typeof adAccounts | typeof executionLogs, id: string | undefined): SQL =>
    id ? sql`exists (select 1 from ${table} where ${table.id} = ${id} and ${table.clientId} = ${tenant})` : sql`true`;
  const workflowOk = belongs(workflows, body.workflowId);
  const adAccountOk = belongs(adAccounts, body.adAccountId);
  const executionOk = belongs(executionLogs, body.executionLogId);
  const executionFree = body.executionLogId
    ? sql`not exists (select 1 from ${reports} where ${reports.executionLogId} = ${body.executionLogId})`
    : sql`true`;
  const workflowCreator = body.workflowId
    ? sql`(select ${workflows.createdBy} from ${workflows} where ${workflows.id} = ${body.workflowId} and ${workflows.clientId} = ${tenant})`
    : sql`null::text`;
  // A person owns what they create; an API key's report belongs to its workflow's creator, else the key's creator.
  const owner =
    principal.kind === "user" ? sql`${principal.userId}::text` : sql`coalesce(${workflowCreator}, ${principal.createdBy}::text)`;

  // Bound through the column's encoder (JSON for jsonb, ISO for timestamps); Postgres types the
  // parameters of an INSERT … SELECT list from the target columns.
  const param = (value: unknown, column: PgColumn) => sql`${sql.param(value, column)}`.as(column.name);
  const now = sql`(now() at time zone 'utc')`;

  const [checks, inserted] = await tenantBatch(db, scope, [
    db
      .select({
        workflowOk: sql<boolean>`${workflowOk}`,
        adAccountOk: sql<boolean>`${adAccountOk}`,
        executionOk: sql<boolean>`${executionOk}`,
        executionFree: sql<boolean>`${executionFree}`,
        owner: sql<string | null>`${owner}`,
      })
      .from(clients)
      .where(eq(clients.id, tenant)),
    db
      .insert(reports)
      .select(
        db
          .select({
            // Every column, in the table's order (INSERT … SELECT needs them all).
            id: param(newId(), reports.id),
            title: param(body.title, reports.title),
            type: param(body.type, reports.type),
            status: param(body.status ?? "GENERATED", reports.status),
            periodStart: param(new Date(body.periodStart), reports.periodStart),
            periodEnd: param(new Date(body.periodEnd), reports.periodEnd),
            content: param(body.content, reports.content),
            htmlContent: param(body.htmlContent ?? null, reports.htmlContent),
            summary: param(body.summary ?? null, reports.summary),
            recipients: param(body.recipients, reports.recipients),
            sentAt: sql`null`.as("sentAt"),
            deliveryStatus: sql`null`.as("deliveryStatus"),
            clientId: clients.id,
            userId: owner.as("userId"),
            workflowId: param(body.workflowId ?? null, reports.workflowId),
            adAccountId: param(body.adAccountId ?? null, reports.adAccountId),
            executionLogId: param(body.executionLogId ?? null, reports.executionLogId),
            createdAt: now.as("createdAt"),
            updatedAt: now.as("updatedAt"),
          })
          .from(clients)
          .where(and(eq(clients.id, tenant), workflowOk, adAccountOk, executionOk, executionFree, sql`${owner} is not null`)),
      )
      .returning(),
  ]);

  const row = inserted[0];
  if (row) {
    c.get("log").set({ reportCreated: row.id });
    return c.json({ data: toReport(row) }, 201);
  }
  const check = checks[0];
  // Only a SUPER_ADMIN can name a client that does not exist (?clientId=).
  if (!check) throw notFound("No client with this id.");
  const foreign: ErrorDetail[] = [
    ...(check.workflowOk ? [] : [{ path: "workflowId", message: "No workflow with this id in this client." }]),
    ...(check.adAccountOk ? [] : [{ path: "adAccountId", message: "No ad account with this id in this client." }]),
    ...(check.executionOk ? [] : [{ path: "executionLogId", message: "No execution with this id in this client." }]),
  ];
  if (foreign.length) throw invalidRequest(`The report refers to ${foreign.map((d) => d.path).join(", ")} outside this client.`, foreign);
  if (!check.executionFree) {
    throw conflict("This execution already has a report.", {
      details: [{ path: "executionLogId", message: "Already linked to another report." }],
    });
  }
  if (check.owner === null) {
    throw invalidField("workflowId", "This API key has no creator to own the report: give the workflowId whose creator owns it.");
  }
  throw conflict("The report's references changed while it was being created; try again.");
});

export const read = handle(getReport, async (c, { scope }) => {
  const { id } = c.req.valid("param");
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .select()
      .from(reports)
      .where(and(eq(reports.id, id), eq(reports.clientId, scope.clientId))),
  ]);
  const row = rows[0];
  if (!row) throw notFound(NO_REPORT);
  return c.json({ data: toReport(row) }, 200);
});

export const update = handle(updateReport, async (c, { scope }) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const db = database(c);
  const start = body.periodStart ? new Date(body.periodStart) : undefined;
  const end = body.periodEnd ? new Date(body.periodEnd) : undefined;
  // With one end of the period changed, it must stay in order with the stored other end (both
  // changed: the schema already compared them).
  const periodInOrder =
    start && !end
      ? sql`${sql.param(start, reports.periodStart)}::timestamp(3) < ${reports.periodEnd}`
      : end && !start
        ? sql`${reports.periodStart} < ${sql.param(end, reports.periodEnd)}::timestamp(3)`
        : undefined;
  const mine = and(eq(reports.id, id), eq(reports.clientId, scope.clientId));

  const [existing, updated] = await tenantBatch(db, scope, [
    db.select({ periodStart: reports.periodStart, periodEnd: reports.periodEnd }).from(reports).where(mine),
    db
      .update(reports)
      .set({
        title: body.title,
        content: body.content,
        htmlContent: body.htmlContent,
        summary: body.summary,
        recipients: body.recipients,
        status: body.status,
        periodStart: start,
        periodEnd: end,
        updatedAt: new Date(),
      })
      .where(and(mine, periodInOrder))
      .returning(),
  ]);
  const stored = existing[0];
  if (!stored) throw notFound(NO_REPORT);
  const row = updated[0];
  if (!row) {
    const field = start ? "periodStart" : "periodEnd";
    throw invalidField(
      field,
      `The period must start before it ends (stored: ${stored.periodStart.toISOString()} to ${stored.periodEnd.toISOString()}).`,
    );
  }
  return c.json({ data: toReport(row) }, 200);
});

export const remove = handle(deleteReport, async (c, { scope }) => {
  const { id } = c.req.valid("param");
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .delete(reports)
      .where(and(eq(reports.id, id), eq(reports.clientId, scope.clientId)))
      .returning(),
  ]);
  const row = rows[0];
  if (!row) throw notFound(NO_REPORT);
  c.get("log").set({ reportDeleted: row.id });
  return c.json({ data: toReport(row) }, 200);
});

/** Statuses a delivery outcome may be recorded on: a generated report, or one whose delivery failed. */
const DELIVERABLE = ["GENERATED", "FAILED"] as const;

export const deliver = handle(recordDelivery, async (c, { scope }) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const db = database(c);
  const mine = and(eq(reports.id, id), eq(reports.clientId, scope.clientId));
  const [updated, current] = await tenantBatch(db, scope, [
    db
      .update(reports)
      .set({
        status: body.status,
        sentAt: body.status === "SENT" ? (body.sentAt ? new Date(body.sentAt) : sql`(now() at time zone 'utc')`) : null,
        deliveryStatus: body.deliveryStatus ?? null,
        updatedAt: sql`(now() at time zone 'utc')`,
      })
      // Re-checked under the row lock: two deliveries racing cannot both move the same report.
      .where(and(mine, inArray(reports.status, [...DELIVERABLE])))
      .returning(),
    db.select().from(reports).where(mine),
  ]);
  const row = updated[0] ?? current[0];
  if (!row) throw notFound("No report with this id.");
  if (!updated[0] && !(row.status === "SENT" && body.status === "SENT")) {
    throw conflict(`A ${row.status} report cannot be marked ${body.status}: only GENERATED or FAILED reports take a delivery outcome.`);
  }
  c.get("log").set({ reportDelivery: { reportId: row.id, status: row.status, recorded: Boolean(updated[0]) } });
  return c.json({ data: toReport(row) }, 200);
});
