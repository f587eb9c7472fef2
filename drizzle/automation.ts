// n8n workflows registered for a tenant and the log of their executions.
import { sql } from "drizzle-orm";
import { foreignKey, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, timestamp3, updatedAtColumn } from "./columns";
import { executionStatus, workflowStatus, workflowType } from "./enums";
import { adAccounts } from "./meta";
import { clients, users } from "./tenancy";

export const workflows = pgTable(
  "workflows",
  {
    id: idColumn(),
    name: text("name").notNull(),
    description: text("description"),
    type: workflowType("type").notNull().default("WEEKLY_REPORT"),
    status: workflowStatus("status").notNull().default("INACTIVE"),
    n8nWorkflowId: text("n8nWorkflowId"),
    n8nWebhookUrl: text("n8nWebhookUrl"),
    /** 5-field cron expression. */
    schedule: text("schedule"),
    timezone: text("timezone").notNull().default("America/Mexico_City"),
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    clientId: text("clientId").notNull(),
    adAccountId: text("adAccountId"),
    createdBy: text("createdBy").notNull(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
    lastExecutedAt: timestamp3("lastExecutedAt"),
  },
  (t) => [
    // n8n ids are unique per n8n instance, and each tenant may run its own instance.
    uniqueIndex("workflows_clientId_n8nWorkflowId_key").on(t.clientId, t.n8nWorkflowId),
    index("workflows_clientId_idx").on(t.clientId),
    index("workflows_status_idx").on(t.status),
    index("workflows_type_idx").on(t.type),
    index("workflows_adAccountId_idx").on(t.adAccountId),
    // A tenant's workflows newest first (GET /v1/workflows, keyset on createdAt, id).
    index("workflows_clientId_createdAt_id_idx").on(t.clientId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    foreignKey({ name: "workflows_clientId_fkey", columns: [t.clientId], foreignColumns: [clients.id] })
      .onDelete("cascade")
      .onUpdate("cascade"),
    foreignKey({ name: "workflows_adAccountId_fkey", columns: [t.adAccountId], foreignColumns: [adAccounts.id] })
      .onDelete("set null")
      .onUpdate("cascade"),
    foreignKey({ name: "workflows_createdBy_fkey", columns: [t.createdBy], foreignColumns: [users.id] })
      .onDelete("restrict")
      .onUpdate("cascade"),
  ],
);

export const executionLogs = pgTable(
  "execution_logs",
  {
    id: idColumn(),
    status: executionStatus("status").notNull(),
    startedAt: timestamp3("startedAt").notNull().default(sql`CURRENT_TIMESTAMP`),
    /** null while RUNNING. */
    completedAt: timestamp3("completedAt"),
    /** Milliseconds. */
    duration: integer("duration"),
    n8nExecutionId: text("n8nExecutionId"),
    input: jsonb("input"),
    output: jsonb("output"),
    error: jsonb("error"),
    logs: jsonb("logs"),
    apiCallsUsed: integer("apiCallsUsed").notNull().default(0),
    /** Records processed. */
    dataProcessed: integer("dataProcessed"),
    clientId: text("clientId").notNull(),
    workflowId: text("workflowId").notNull(),
    adAccountId: text("adAccountId"),
    executedBy: text("executedBy"),
  },
  (t) => [
    uniqueIndex("execution_logs_clientId_n8nExecutionId_key").on(t.clientId, t.n8nExecutionId),
    index("execution_logs_clientId_idx").on(t.clientId),
    index("execution_logs_workflowId_idx").on(t.workflowId),
    index("execution_logs_status_idx").on(t.status),
    index("execution_logs_startedAt_idx").on(t.startedAt),
    // A tenant's latest executions, keyset-paginated on (startedAt, id), newest first.
    index("execution_logs_clientId_startedAt_id_idx").on(t.clientId, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // A workflow's executions over a period (stats), and newest first keyset-paginated on (startedAt,
    // id) (?workflowId=): with id in the index a page reads only its rows, however long the history.
    index("execution_logs_workflowId_startedAt_id_idx").on(t.workflowId, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // An ad account's executions newest first (?adAccountId=); also serves ON DELETE SET NULL.
    index("execution_logs_adAccountId_startedAt_id_idx").on(t.adAccountId, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // A tenant's executions of one status newest first (?status=; RUNNING for the stuck-executions
    // job): one partial index per status. A (clientId, status, …) index cannot serve the API: under
    // row-level security Postgres only uses a non-LEAKPROOF operator (enum = enum is not) as a filter
    // after the policy, never as an index condition, and without statistics. A partial index needs no
    // operator call at all: the planner proves `status = 'X'` from the query and reads only those rows.
    ...executionStatus.enumValues.map((status) =>
      index(`execution_logs_clientId_startedAt_id_${status.toLowerCase()}_idx`)
        .on(t.clientId, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst())
        .where(sql.raw(`"status" = '${status}'`)),
    ),
    foreignKey({ name: "execution_logs_clientId_fkey", columns: [t.clientId], foreignColumns: [clients.id] })
      .onDelete("cascade")
      .onUpdate("cascade"),
    foreignKey({ name: "execution_logs_workflowId_fkey", columns: [t.workflowId], foreignColumns: [workflows.id] })
      .onDelete("cascade")
      .onUpdate("cascade"),
    foreignKey({ name: "execution_logs_adAccountId_fkey", columns: [t.adAccountId], foreignColumns: [adAccounts.id] })
      .onDelete("set null")
      .onUpdate("cascade"),
    foreignKey({ name: "execution_logs_executedBy_fkey", columns: [t.executedBy], foreignColumns: [users.id] })
      .onDelete("set null")
      .onUpdate("cascade"),
  ],
);

export type Workflow = typeof workflows.$inferSelect;
export type NewWorkflow = typeof workflows.$inferInsert;
export type ExecutionLog = typeof executionLogs.$inferSelect;
export type NewExecutionLog = typeof executionLogs.$inferInsert;
