// What n8n sends to /v1/webhooks/n8n/*, and what it gets back. The bodies are not strict: n8n adds
// fields across versions (`executionContext`, `error.node`, …) and they are kept with the stored
// error or logs rather than refused.
import { z } from "@hono/zod-openapi";
import type { ExecutionLog } from "../../../drizzle/schema.js";
import type { ExecutionStatus } from "../../../drizzle/enums.js";
import { ReportTypeSchema } from "../../http/enums.js";
import { ExecutionSchema, toExecution } from "../executions/schema.js";

/** n8n's execution statuses, then this API's. */
export const N8N_STATUSES = ["new", "running", "waiting", "success", "error", "crashed", "canceled", "unknown"] as const;
const API_STATUSES = ["RUNNING", "SUCCESS", "FAILED", "CANCELLED", "TIMEOUT"] as const;

// `unknown` says nothing about an ending, so it counts as still running: it never replaces a
// terminal status, and the stuck-executions job times it out if no ending ever arrives.
const FROM_N8N: Record<(typeof N8N_STATUSES)[number], ExecutionStatus> = {
  new: "RUNNING",
  running: "RUNNING",
  waiting: "RUNNING",
  unknown: "RUNNING",
  success: "SUCCESS",
  error: "FAILED",
  crashed: "FAILED",
  canceled: "CANCELLED",
};

export const ReportedStatus = z
  .enum([...N8N_STATUSES, ...API_STATUSES], {
    error: `Must be one of n8n's ${N8N_STATUSES.join(", ")} or ${API_STATUSES.join(", ")} (case-sensitive).`,
  })
  .openapi("ReportedExecutionStatus", {
    description:
      "n8n's status (new, running, waiting, unknown → RUNNING; success → SUCCESS; error, crashed → FAILED; canceled → CANCELLED) or this API's.",
    example: "success",
  });

export function executionStatusOf(reported: z.infer<typeof ReportedStatus>): ExecutionStatus {
  return reported in FROM_N8N ? FROM_N8N[reported as keyof typeof FROM_N8N] : (reported as ExecutionStatus);
}

/** n8n ids are strings (numeric in practice); a number is accepted for a body built without quotes. */
const N8nId = z.union([z.string().trim().min(1).max(200), z.number().int().nonnegative()]);
const Instant = z.iso.datetime({ offset: true, error: "Must be an ISO-8601 date-time, e.g. 2026-11-26T06:00:00.000Z" });
const Json = (description: string) => z.unknown().optional().openapi({ description });

export const AttachedReport = z
  .object({
    title: z.string().trim().min(1).max(500),
    type: ReportTypeSchema,
    periodStart: Instant,
    periodEnd: Instant,
    content: z.string().min(1).openapi({ description: "Markdown." }),
    recipients: z.array(z.email().max(320)).min(1).max(100),
    htmlContent: z.string().optional(),
    summary: z.unknown().optional(),
  })
  .strict()
  .refine((r) => Date.parse(r.periodStart) < Date.parse(r.periodEnd), {
    message: "periodStart must be before periodEnd",
    path: ["periodEnd"],
  })
  .openapi("AttachedReport", {
    example: {
      title: "Weekly performance, Nov 19–25",
      type: "WEEKLY_STORYTELLING",
      periodStart: "2026-11-19T00:00:00.000Z",
      periodEnd: "2026-11-26T00:00:00.000Z",
      content: "# Week in review\n\nSpend rose 12%…",
      recipients: ["marketing@acme.test"],
    },
  });

export const ExecutionReport = z
  .object({
    executionId: N8nId.openapi({ description: "n8n's execution id (`{{ $execution.id }}`): the idempotency key within the client." }),
    workflowId: z.string().trim().min(1).max(100).optional().openapi({ description: "This API's workflow id." }),
    n8nWorkflowId: N8nId.optional().openapi({ description: "n8n's workflow id (`{{ $workflow.id }}`)." }),
    status: ReportedStatus,
    mode: z.string().max(100).optional().openapi({ description: "n8n's execution mode, free text (e.g. `production`, `test`)." }),
    startedAt: Instant.optional(),
    stoppedAt: Instant.optional(),
    retryOf: N8nId.optional().openapi({ description: "The n8n execution this one retries." }),
    input: Json("Stored as sent."),
    output: Json("Stored as sent."),
    error: Json("Stored as sent."),
    logs: Json("Stored as sent."),
    apiCallsUsed: z.number().int().min(0).max(2_147_483_647).optional(),
    dataProcessed: z.number().int().min(0).max(2_147_483_647).optional(),
    adAccountId: z.string().trim().min(1).max(100).optional(),
    metaAdAccountId: z
      .string()
      .regex(/^act_\d+$/, "Must look like act_<digits>")
      .optional(),
    report: AttachedReport.optional(),
  })
  .loose()
  .refine((b) => b.workflowId !== undefined || b.n8nWorkflowId !== undefined, {
    message: "Name the workflow: workflowId or n8nWorkflowId",
    path: ["n8nWorkflowId"],
  })
  .refine((b) => !b.startedAt || !b.stoppedAt || Date.parse(b.startedAt) <= Date.parse(b.stoppedAt), {
    message: "stoppedAt must not be before startedAt",
    path: ["stoppedAt"],
  })
  .openapi("ExecutionReport", {
    example: {
      executionId: "48213",
      n8nWorkflowId: "Xq3bW1aR9kLm2Ntp",
      status: "success",
      mode: "production",
      stoppedAt: "2026-11-26T06:00:42.512Z",
      output: { campaigns: 12, spend: 1843.2 },
      apiCallsUsed: 18,
      dataProcessed: 1250,
    },
  });

export type ExecutionReport = z.infer<typeof ExecutionReport>;

const N8nError = z
  .object({
    message: z.string().optional(),
    description: z.string().nullable().optional(),
    name: z.string().optional(),
    stack: z.string().optional(),
    timestamp: z.union([z.number(), z.string()]).optional(),
    node: z.object({ name: z.string().optional() }).loose().optional(),
  })
  .loose();

/** An Error Trigger's output, forwarded as is: an `execution` that failed, or a `trigger` that did. */
export const ErrorTriggerPayload = z
  .object({
    execution: z
      .object({
        id: N8nId,
        url: z.string().optional(),
        retryOf: N8nId.nullable().optional(),
        error: N8nError.optional(),
        lastNodeExecuted: z.string().nullable().optional(),
        mode: z.string().optional(),
      })
      .loose()
      .optional(),
    trigger: z.object({ error: N8nError.optional(), mode: z.string().optional() }).loose().optional(),
    workflow: z.object({ id: N8nId, name: z.string().optional() }).loose(),
  })
  .loose()
  .refine((b) => (b.execution === undefined) !== (b.trigger === undefined), {
    message: "An Error Trigger payload has either `execution` or `trigger`",
    path: ["execution"],
  })
  .openapi("ErrorTriggerPayload", {
    example: {
      execution: {
        id: "231",
        url: "https://n8n.example.com/workflow/1/executions/231",
        retryOf: "34",
        error: { message: "The resource you are requesting could not be found", stack: "NodeApiError: …" },
        lastNodeExecuted: "Fetch insights",
        mode: "trigger",
      },
      workflow: { id: "Xq3bW1aR9kLm2Ntp", name: "Weekly report" },
    },
  });

export type ErrorTriggerPayload = z.infer<typeof ErrorTriggerPayload>;
export type N8nError = z.infer<typeof N8nError>;

const executionExample = {
  id: "cm3xe1x2c0000k3f9q2mzexec",
  n8nExecutionId: "48213",
  status: "SUCCESS",
  startedAt: "2026-11-26T06:00:00.000Z",
  completedAt: "2026-11-26T06:00:42.512Z",
  duration: 42512,
  apiCallsUsed: 18,
  dataProcessed: 1250,
  workflowId: "cm3xw1x2c0000k3f9q2mzwkfl",
  adAccountId: null,
  executedBy: null,
  clientId: "demo_client_acme",
  input: null,
  output: { campaigns: 12, spend: 1843.2 },
  error: null,
  logs: null,
  reportId: null,
} as const;

/** The stored execution (as GET /v1/executions/{id} shows it) and the report attached to it. */
export const IngestedExecution = ExecutionSchema.extend({
  reportId: z.string().nullable().openapi({ description: "The report created from this execution's `report`, if any." }),
}).openapi("IngestedExecution", { example: executionExample });

export const IngestedExecutionData = z.object({ data: IngestedExecution }).openapi("IngestedExecutionData", {
  example: { data: executionExample },
});

export function toIngestedExecution(row: ExecutionLog, reportId: string | null): z.infer<typeof IngestedExecution> {
  return IngestedExecution.parse({ ...toExecution(row), reportId });
}
