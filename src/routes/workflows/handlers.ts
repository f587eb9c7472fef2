import { and, desc, eq, exists, gte, ne, not, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { adAccounts, clients, executionLogs, workflows } from "../../../drizzle/schema.js";
import { newId } from "../../../drizzle/ids.js";
import type { Database } from "../../db/client.js";
import { limitReached, limitUsage, lockClient, underLimit } from "../../db/plan-limits.js";
import { returned } from "../../db/rows.js";
import { afterCursor } from "../../db/keyset.js";
import { tenantBatch } from "../../db/tenant.js";
import { database } from "../../http/context.js";
import { handle } from "../../http/route.js";
import { decodeCursor, page } from "../../lib/cursor.js";
import { conflict, invalidField, notFound } from "../../lib/errors.js";
import { createWorkflow, deleteWorkflow, getWorkflow, getWorkflowStats, listWorkflows, updateWorkflow } from "./routes.js";
import { toWorkflow } from "./schema.js";

/** The seed's column default, repeated because an INSERT … SELECT cannot fall back to it. */
const DEFAULT_TIMEZONE = "America/Mexico_City";
const DAY_MS = 86_400_000;

const NO_WORKFLOW = "No workflow with this id.";
const utcNow = () => sql<Date>`(now() at time zone 'utc')`;

const ofTenant = (id: string, clientId: string) => and(eq(workflows.id, id), eq(workflows.clientId, clientId));

/**
 * Checks a body's references inside the batch (foreign keys ignore row-level security, so the
 * tenant is compared explicitly): the ad account must be the client's own, and the n8n id must be
 * free within the client (`except` = the workflow being changed).
 */
function referenceChecks(
  db: Database,
  clientId: string,
  body: { adAccountId?: string | null; n8nWorkflowId?: string | null },
  except?: string,
) {
  const adAccountOk: SQL = body.adAccountId
    ? exists(
        db
          .select({ one: sql`1` })
          .from(adAccounts)
          .where(and(eq(adAccounts.id, body.adAccountId), eq(adAccounts.clientId, clientId))),
      )
    : sql`true`;
  const other = alias(workflows, "other");
  const n8nTaken: SQL = body.n8nWorkflowId
    ? exists(
        db
          .select({ one: sql`1` })
          .from(other)
          .where(and(eq(other.clientId, clientId), eq(other.n8nWorkflowId, body.n8nWorkflowId), except ? ne(other.id, except) : undefined)),
      )
    : sql`false`;
  return {
    fields: { adAccountOk: sql<boolean>`${adAccountOk}`, n8nTaken: sql<boolean>`${n8nTaken}` },
    pass: and(adAccountOk, not(n8nTaken)),
  };
}

function refuseBadReferences(check: { adAccountOk: boolean; n8nTaken: boolean }): void {
  if (!check.adAccountOk) throw invalidField("adAccountId", "No ad account with this id in this client");
  if (check.n8nTaken) {
    throw conflict("Another workflow of this client already has this n8nWorkflowId.", {
      details: [{ path: "n8nWorkflowId", message: "Already used by another workflow of this client" }],
    });
  }
}

export const list = handle(listWorkflows, async (c, { tenantId: clientId, scope }) => {
  const { limit, cursor, status, type, adAccountId } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor) : undefined;
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .select()
      .from(workflows)
      .where(
        and(
          eq(workflows.clientId, clientId),
          status ? eq(workflows.status, status) : undefined,
          type ? eq(workflows.type, type) : undefined,
          adAccountId ? eq(workflows.adAccountId, adAccountId) : undefined,
          after ? afterCursor(workflows.createdAt, workflows.id, after, "desc") : undefined,
        ),
      )
      .orderBy(desc(workflows.createdAt), desc(workflows.id))
      .limit(limit + 1),
  ]);
  const { data, nextCursor } = page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
  return c.json({ data: data.map(toWorkflow), nextCursor }, 200);
});

/**
 * One batch: lock the client row (concurrent creations queue), check the references, insert only
 * while under maxWorkflows and the references are good, then read the usage for a 409.
 */
export const create = handle(createWorkflow, async (c, { principal, tenantId: clientId, scope }) => {
  const body = c.req.valid("json");
  const db = database(c);
  const checks = referenceChecks(db, clientId, body);
  const [, checked, inserted, usage] = await tenantBatch(db, scope, [
    lockClient(db, clientId),
    db.select(checks.fields).from(clients).where(eq(clients.id, clientId)),
    db
      .insert(workflows)
      .select(
        db
          .select({
            id: sql`${newId()}`.as("id"),
            name: sql`${body.name}`.as("name"),
            description: sql`${body.description ?? null}::text`.as("description"),
            type: sql`${body.type}::"WorkflowType"`.as("type"),
            status: sql`${body.status ?? "INACTIVE"}::"WorkflowStatus"`.as("status"),
            n8nWorkflowId: sql`${body.n8nWorkflowId ?? null}::text`.as("n8nWorkflowId"),
            n8nWebhookUrl: sql`${body.n8nWebhookUrl ?? null}::text`.as("n8nWebhookUrl"),
            schedule: sql`${body.schedule ?? null}::text`.as("schedule"),
            timezone: sql`${body.timezone ?? DEFAULT_TIMEZONE}::text`.as("timezone"),
            config: sql`${JSON.stringify(body.config ?? {})}::jsonb`.as("config"),
            clientId: clients.id,
            adAccountId: sql`${body.adAccountId ?? null}::text`.as("adAccountId"),
            createdBy: sql`${principal.userId}::text`.as("createdBy"),
            createdAt: utcNow().as("createdAt"),
            updatedAt: utcNow().as("updatedAt"),
            lastExecutedAt: sql`null::timestamp(3)`.as("lastExecutedAt"),
          })
          .from(clients)
          .where(and(underLimit(db, "workflows", clientId), checks.pass)),
      )
      .returning(),
    limitUsage(db, "workflows", clientId),
  ]);
  // Only a SUPER_ADMIN can name a client that does not exist (?clientId=).
  const check = checked[0];
  if (!check) throw notFound("No client with this id.");
  refuseBadReferences(check);
  const row = inserted[0];
  if (!row) throw limitReached("workflows", usage[0]);
  c.get("log").set({ workflowCreated: row.id });
  return c.json({ data: toWorkflow(row) }, 201);
});

export const read = handle(getWorkflow, async (c, { tenantId: clientId, scope }) => {
  const { id } = c.req.valid("param");
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [db.select().from(workflows).where(ofTenant(id, clientId))]);
  const row = rows[0];
  if (!row) throw notFound(NO_WORKFLOW);
  return c.json({ data: toWorkflow(row) }, 200);
});

export const update = handle(updateWorkflow, async (c, { tenantId: clientId, scope }) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const db = database(c);
  const checks = referenceChecks(db, clientId, body, id);
  const [checked, updated] = await tenantBatch(db, scope, [
    db.select(checks.fields).from(workflows).where(ofTenant(id, clientId)),
    db
      .update(workflows)
      .set({
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.type !== undefined ? { type: body.type } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.status !== undefined ? { status: body.status } : {}),
        ...(body.n8nWorkflowId !== undefined ? { n8nWorkflowId: body.n8nWorkflowId } : {}),
        ...(body.n8nWebhookUrl !== undefined ? { n8nWebhookUrl: body.n8nWebhookUrl } : {}),
        ...(body.schedule !== undefined ? { schedule: body.schedule } : {}),
        ...(body.timezone !== undefined ? { timezone: body.timezone } : {}),
        ...(body.config !== undefined ? { config: body.config } : {}),
        ...(body.adAccountId !== undefined ? { adAccountId: body.adAccountId } : {}),
        updatedAt: utcNow(),
      })
      .where(and(ofTenant(id, clientId), checks.pass))
      .returning(),
  ]);
  const check = checked[0];
  if (!check) throw notFound(NO_WORKFLOW);
  refuseBadReferences(check);
  return c.json({ data: toWorkflow(returned(updated, "workflow update")) }, 200);
});

/** Executions go with the workflow (FK cascade); reports stay, with workflowId set to null. */
export const remove = handle(deleteWorkflow, async (c, { tenantId: clientId, scope }) => {
  const { id } = c.req.valid("param");
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [db.delete(workflows).where(ofTenant(id, clientId)).returning()]);
  const row = rows[0];
  if (!row) throw notFound(NO_WORKFLOW);
  c.get("log").set({ workflowDeleted: row.id });
  return c.json({ data: toWorkflow(row) }, 200);
});

/**
 * Aggregated by Postgres in one statement: the workflow left-joined to its executions of the
 * period, so a missing or foreign workflow is simply no row (404) in the same round trip.
 */
export function workflowStatsQuery(db: Database, id: string, clientId: string, since: Date) {
  const e = executionLogs;
  const total = sql`count(${e.id})`;
  const successful = sql`count(${e.id}) filter (where ${e.status} = 'SUCCESS')`;
  return db
    .select({
      total: sql<number>`${total}::int`.mapWith(Number),
      successful: sql<number>`${successful}::int`.mapWith(Number),
      failed: sql<number>`(count(${e.id}) filter (where ${e.status} in ('FAILED', 'TIMEOUT')))::int`.mapWith(Number),
      successRate: sql<number>`coalesce(round(100.0 * ${successful} / nullif(${total}, 0), 2), 0)::float8`.mapWith(Number),
      avgDuration: sql<number | null>`round(avg(${e.duration}), 2)::float8`.mapWith(Number),
      totalApiCalls: sql<number>`coalesce(sum(${e.apiCallsUsed}), 0)::int8`.mapWith(Number),
      avgApiCallsPerExecution: sql<number>`coalesce(round(sum(${e.apiCallsUsed})::numeric / nullif(${total}, 0), 2), 0)::float8`.mapWith(
        Number,
      ),
    })
    .from(workflows)
    .leftJoin(e, and(eq(e.workflowId, workflows.id), eq(e.clientId, workflows.clientId), gte(e.startedAt, since)))
    .where(ofTenant(id, clientId))
    .groupBy(workflows.id);
}

/** GET /v1/workflows/{id}/stats: workflowStatsQuery, mapped. */
export const stats = handle(getWorkflowStats, async (c, { tenantId: clientId, scope }) => {
  const { id } = c.req.valid("param");
  const { days } = c.req.valid("query");
  const since = new Date(Date.now() - days * DAY_MS);
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [workflowStatsQuery(db, id, clientId, since)]);
  const row = rows[0];
  if (!row) throw notFound(NO_WORKFLOW);
  return c.json(
    {
      data: {
        period: { days, since: since.toISOString() },
        executions: { total: row.total, successful: row.successful, failed: row.failed, successRate: row.successRate },
        performance: {
          avgDuration: row.avgDuration,
          totalApiCalls: row.totalApiCalls,
          avgApiCallsPerExecution: row.avgApiCallsPerExecution,
        },
      },
    },
    200,
  );
});
