import { z } from "@hono/zod-openapi";
import type { ExecutionLog } from "../../../drizzle/schema.js";
import { ExecutionStatusSchema } from "../../http/enums.js";
import { PageQuery, Timestamp, iso } from "../../http/schemas.js";

const instant = (description: string) =>
  z.iso
    .datetime({ offset: true, error: "Must be an ISO-8601 date-time, e.g. 2026-11-26T00:00:00Z" })
    .optional()
    .openapi({ param: { in: "query" }, description, example: "2026-11-01T00:00:00Z" });

export const ListExecutionsQuery = PageQuery.extend({
  workflowId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ param: { in: "query" }, description: "Only this workflow's executions." }),
  status: ExecutionStatusSchema.optional().openapi({ param: { in: "query" } }),
  adAccountId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ param: { in: "query" }, description: "Only executions on this ad account." }),
  since: instant("Executions started at or after this instant (inclusive)."),
  until: instant("Executions started before this instant (exclusive)."),
}).refine((q) => !q.since || !q.until || Date.parse(q.since) < Date.parse(q.until), {
  message: "since must be before until",
  path: ["until"],
});

const summaryExample = {
  id: "cm3xe1x2c0000k3f9q2mzexec",
  n8nExecutionId: "48213",
  status: "SUCCESS",
  startedAt: "2026-11-26T06:00:00.000Z",
  completedAt: "2026-11-26T06:00:42.512Z",
  duration: 42512,
  apiCallsUsed: 18,
  dataProcessed: 1250,
  workflowId: "cm3xw1x2c0000k3f9q2mzwkfl",
  adAccountId: "cm3xa1x2c0000k3f9q2mzacct",
  executedBy: null,
  clientId: "demo_client_acme",
} as const;

export const ExecutionSummarySchema = z
  .object({
    id: z.string(),
    n8nExecutionId: z.string().nullable().openapi({ description: "The `executionId` n8n reported." }),
    status: ExecutionStatusSchema,
    startedAt: Timestamp,
    completedAt: Timestamp.nullable(),
    duration: z.number().int().nullable().openapi({ description: "Milliseconds." }),
    apiCallsUsed: z.number().int(),
    dataProcessed: z.number().int().nullable().openapi({ description: "Records processed." }),
    workflowId: z.string(),
    adAccountId: z.string().nullable(),
    executedBy: z.string().nullable().openapi({ description: "The user who started it, when a person did." }),
    clientId: z.string(),
  })
  .openapi("ExecutionSummary", { example: summaryExample });

const json = (description: string) => z.unknown().nullable().openapi({ description });

export const ExecutionSchema = ExecutionSummarySchema.extend({
  input: json("The execution's input, as n8n reported it."),
  output: json("The execution's output, as n8n reported it."),
  error: json("What failed, as n8n reported it."),
  logs: json("The execution's logs, as n8n reported them."),
}).openapi("Execution", {
  example: {
    ...summaryExample,
    input: { dateRange: { since: "2026-11-19", until: "2026-11-25" } },
    output: { campaigns: 12, spend: 1843.2 },
    error: null,
    logs: [{ at: "2026-11-26T06:00:01.000Z", message: "Fetched insights" }],
  },
});

type Summary = Pick<
  ExecutionLog,
  | "id"
  | "n8nExecutionId"
  | "status"
  | "startedAt"
  | "completedAt"
  | "duration"
  | "apiCallsUsed"
  | "dataProcessed"
  | "workflowId"
  | "adAccountId"
  | "executedBy"
  | "clientId"
>;

function summaryFields(row: Summary) {
  return {
    id: row.id,
    n8nExecutionId: row.n8nExecutionId,
    status: row.status,
    startedAt: iso(row.startedAt),
    completedAt: iso(row.completedAt),
    duration: row.duration,
    apiCallsUsed: row.apiCallsUsed,
    dataProcessed: row.dataProcessed,
    workflowId: row.workflowId,
    adAccountId: row.adAccountId,
    executedBy: row.executedBy,
    clientId: row.clientId,
  };
}

export function toExecutionSummary(row: Summary): z.infer<typeof ExecutionSummarySchema> {
  return ExecutionSummarySchema.parse(summaryFields(row));
}

export function toExecution(row: ExecutionLog): z.infer<typeof ExecutionSchema> {
  return ExecutionSchema.parse({ ...summaryFields(row), input: row.input, output: row.output, error: row.error, logs: row.logs });
}
