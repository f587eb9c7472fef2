import { z } from "@hono/zod-openapi";
import type { Workflow } from "../../../drizzle/schema.js";
import { WorkflowStatusSchema, WorkflowTypeSchema } from "../../http/enums.js";
import { PageQuery, Timestamp, iso } from "../../http/schemas.js";
import { cronProblem } from "../../lib/cron.js";

export const workflowExample = {
  id: "cm3xw0rkf0000k3f9q2mzabcd",
  clientId: "demo_client_acme",
  name: "Weekly performance report",
  description: "Every Monday at 09:00: last week's spend, reach and ROAS, told as a story.",
  type: "WEEKLY_REPORT",
  status: "ACTIVE",
  n8nWorkflowId: "wf_7Hk2pQ",
  n8nWebhookUrl: "https://n8n.acme.test/webhook/weekly-report",
  schedule: "0 9 * * MON",
  timezone: "America/Mexico_City",
  config: { metrics: ["spend", "reach", "roas"], recipients: ["marketing@acme.test"] },
  adAccountId: "cm3xadacc0000k3f9q2mzabcd",
  createdBy: "demo_user_acme_admin",
  createdAt: "2026-11-01T10:00:00.000Z",
  updatedAt: "2026-11-20T08:00:00.000Z",
  lastExecutedAt: "2026-11-24T15:00:04.512Z",
} as const;

export const WorkflowSchema = z
  .object({
    id: z.string(),
    clientId: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    type: WorkflowTypeSchema,
    status: WorkflowStatusSchema,
    n8nWorkflowId: z.string().nullable().openapi({ description: "The workflow's id in the client's n8n instance (unique per client)." }),
    n8nWebhookUrl: z.string().nullable(),
    schedule: z.string().nullable().openapi({ description: "5-field cron expression, read in `timezone`." }),
    timezone: z.string().openapi({ description: "IANA time zone of the schedule." }),
    config: z.record(z.string(), z.unknown()),
    adAccountId: z.string().nullable(),
    createdBy: z.string(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    lastExecutedAt: Timestamp.nullable(),
  })
  .openapi("Workflow", { example: workflowExample });

/** Response shape of a workflows row: parsed, so a column added later never leaks by accident. */
export function toWorkflow(row: Workflow): z.infer<typeof WorkflowSchema> {
  return WorkflowSchema.parse({
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    description: row.description,
    type: row.type,
    status: row.status,
    n8nWorkflowId: row.n8nWorkflowId,
    n8nWebhookUrl: row.n8nWebhookUrl,
    schedule: row.schedule,
    timezone: row.timezone,
    config: row.config,
    adAccountId: row.adAccountId,
    createdBy: row.createdBy,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    lastExecutedAt: iso(row.lastExecutedAt),
  });
}

/** True for a zone name the runtime's time zone database knows (an IANA name, not an offset). */
export function isIanaTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const Schedule = z
  .string()
  .superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: `Not a valid 5-field cron expression: ${problem}` });
  })
  .openapi({ description: "5-field cron: minute hour day-of-month month day-of-week.", example: "0 9 * * MON" });

const TimeZone = z
  .string()
  .max(100)
  .refine(isIanaTimeZone, "Must be an IANA time zone name such as America/Mexico_City or UTC")
  .openapi({ example: "America/Mexico_City" });

const WebhookUrl = z
  .url({ protocol: /^https?$/, error: "Must be an http(s) URL" })
  .max(2048)
  .openapi({ example: "https://n8n.acme.test/webhook/weekly-report" });

const Id = z.string().trim().min(1).max(100);

/** The writable fields; POST requires name and type, PATCH takes any non-empty subset. */
const writable = {
  name: z.string().trim().min(1).max(200),
  type: WorkflowTypeSchema,
  description: z.string().max(5000).nullable(),
  status: WorkflowStatusSchema,
  n8nWorkflowId: Id.nullable().openapi({ description: "Unique per client." }),
  n8nWebhookUrl: WebhookUrl.nullable(),
  schedule: Schedule.nullable(),
  timezone: TimeZone,
  config: z.record(z.string(), z.unknown()).openapi({ description: "Free-form JSON object passed to the n8n workflow." }),
  adAccountId: Id.nullable().openapi({ description: "An ad account of the same client." }),
};

export const CreateWorkflow = z
  .object({
    name: writable.name,
    type: writable.type,
    description: writable.description.optional(),
    status: writable.status.optional().openapi({ description: "Defaults to INACTIVE." }),
    n8nWorkflowId: writable.n8nWorkflowId.optional(),
    n8nWebhookUrl: writable.n8nWebhookUrl.optional(),
    schedule: writable.schedule.optional(),
    timezone: writable.timezone.optional().openapi({ description: "Defaults to America/Mexico_City." }),
    config: writable.config.optional().openapi({ description: "Defaults to {}." }),
    adAccountId: writable.adAccountId.optional(),
  })
  .strict()
  .openapi("CreateWorkflow", {
    example: {
      name: "Weekly performance report",
      type: "WEEKLY_REPORT",
      status: "ACTIVE",
      n8nWorkflowId: "wf_7Hk2pQ",
      n8nWebhookUrl: "https://n8n.acme.test/webhook/weekly-report",
      schedule: "0 9 * * MON",
      timezone: "America/Mexico_City",
      config: { metrics: ["spend", "reach", "roas"] },
      adAccountId: "cm3xadacc0000k3f9q2mzabcd",
    },
  });

export const UpdateWorkflow = z
  .object({
    name: writable.name.optional(),
    type: writable.type.optional(),
    description: writable.description.optional(),
    status: writable.status.optional(),
    n8nWorkflowId: writable.n8nWorkflowId.optional(),
    n8nWebhookUrl: writable.n8nWebhookUrl.optional(),
    schedule: writable.schedule.optional(),
    timezone: writable.timezone.optional(),
    config: writable.config.optional().openapi({ description: "Replaces the whole object." }),
    adAccountId: writable.adAccountId.optional().openapi({ description: "An ad account of the same client; null detaches it." }),
  })
  .strict()
  .refine((body) => Object.values(body).some((v) => v !== undefined), "Give at least one field to change")
  .openapi("UpdateWorkflow", { example: { status: "PAUSED", schedule: "30 8 * * 1-5", adAccountId: null } });

export const ListWorkflowsQuery = PageQuery.extend({
  status: WorkflowStatusSchema.optional().openapi({ param: { in: "query" } }),
  type: WorkflowTypeSchema.optional().openapi({ param: { in: "query" } }),
  adAccountId: Id.optional().openapi({ param: { in: "query" }, description: "Only workflows attached to this ad account." }),
});

export const StatsQuery = z.object({
  days: z.coerce
    .number({ error: "Must be a whole number of days" })
    .int("Must be a whole number of days")
    .min(1)
    .max(365)
    .default(30)
    .openapi({ param: { in: "query" }, description: "Length of the period, ending now (1–365).", example: 30 }),
});

export const WorkflowStatsSchema = z
  .object({
    period: z.object({
      days: z.number().int(),
      since: Timestamp.openapi({ description: "Start of the period (now − days); executions started since then count." }),
    }),
    executions: z.object({
      total: z.number().int().openapi({ description: "Executions started in the period, every status." }),
      successful: z.number().int().openapi({ description: "Status SUCCESS." }),
      failed: z.number().int().openapi({ description: "Status FAILED or TIMEOUT." }),
      successRate: z.number().openapi({ description: "successful ÷ total × 100, two decimals; 0 without executions." }),
    }),
    performance: z.object({
      avgDuration: z
        .number()
        .nullable()
        .openapi({ description: "Mean duration in ms of the executions that have one; null when none does." }),
      totalApiCalls: z.number().int(),
      avgApiCallsPerExecution: z.number().openapi({ description: "totalApiCalls ÷ total, two decimals; 0 without executions." }),
    }),
  })
  .openapi("WorkflowStats", {
    example: {
      period: { days: 30, since: "2026-10-27T09:30:00.000Z" },
      executions: { total: 12, successful: 10, failed: 2, successRate: 83.33 },
      performance: { avgDuration: 45210.5, totalApiCalls: 342, avgApiCallsPerExecution: 28.5 },
    },
  });
