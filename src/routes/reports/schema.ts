import { z } from "@hono/zod-openapi";
import type { Report } from "../../../drizzle/schema.js";
import { ReportStatusSchema, ReportTypeSchema } from "../../http/enums.js";
import { PageQuery, Timestamp, iso } from "../../http/schemas.js";

const instant = z.iso.datetime({ offset: true, error: "Must be an ISO-8601 date-time, e.g. 2026-11-16T00:00:00Z" });
const instantParam = (description: string) =>
  instant.optional().openapi({ param: { in: "query" }, description, example: "2026-11-01T00:00:00Z" });
const idParam = (description: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ param: { in: "query" }, description });

export const ListReportsQuery = PageQuery.extend({
  status: ReportStatusSchema.optional().openapi({ param: { in: "query" } }),
  type: ReportTypeSchema.optional().openapi({ param: { in: "query" } }),
  workflowId: idParam("Only this workflow's reports."),
  periodStart: instantParam("Reports whose period starts at or after this instant."),
  periodEnd: instantParam("Reports whose period ends at or before this instant."),
  order: z
    .enum(["desc", "asc"], { error: "Must be desc or asc." })
    .default("desc")
    .openapi({
      param: { in: "query" },
      description: "`desc` (default): newest first by createdAt; `asc`: oldest first (delivery queues).",
    }),
});

/** Statuses a person or a generator may set; SENT and FAILED are what delivery recorded. */
export const EditableReportStatus = z
  .enum(["GENERATED", "DRAFT"], {
    error: "Must be GENERATED or DRAFT: SENT and FAILED are recorded by the report's delivery.",
  })
  .openapi("EditableReportStatus", { example: "GENERATED" });

const Recipients = z
  .array(z.email({ error: "Must be a valid email address" }).max(254))
  .min(1, "At least one recipient")
  .max(100, "At most 100 recipients")
  .openapi({ example: ["marketing@acme.test"] });

const Summary = z
  .record(z.string(), z.unknown())
  .openapi({ description: "Key figures of the report (any JSON object).", example: { spend: 1843.2, roas: 3.4 } });

const reportExample = {
  id: "cm3xr1x2c0000k3f9q2mzrept",
  title: "Weekly performance — Nov 16–22",
  type: "WEEKLY_STORYTELLING",
  status: "GENERATED",
  periodStart: "2026-11-16T00:00:00.000Z",
  periodEnd: "2026-11-23T00:00:00.000Z",
  summary: { spend: 1843.2, roas: 3.4 },
  recipients: ["marketing@acme.test"],
  sentAt: null,
  deliveryStatus: null,
  clientId: "demo_client_acme",
  userId: "demo_user_acme_admin",
  workflowId: "cm3xw1x2c0000k3f9q2mzwkfl",
  adAccountId: "cm3xa1x2c0000k3f9q2mzacct",
  executionLogId: "cm3xe1x2c0000k3f9q2mzexec",
  createdAt: "2026-11-23T06:01:00.000Z",
  updatedAt: "2026-11-23T06:01:00.000Z",
} as const;

export const ReportSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    type: ReportTypeSchema,
    status: ReportStatusSchema,
    periodStart: Timestamp,
    periodEnd: Timestamp,
    summary: z.unknown().nullable().openapi({ description: "Key figures, as stored." }),
    recipients: z.array(z.string()),
    sentAt: Timestamp.nullable(),
    deliveryStatus: z.unknown().nullable().openapi({ description: "What the delivery server reported, as stored." }),
    clientId: z.string(),
    userId: z
      .string()
      .openapi({ description: "The owner: its creator, or for an API key the workflow's creator, else the key's creator." }),
    workflowId: z.string().nullable(),
    adAccountId: z.string().nullable(),
    executionLogId: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("ReportSummary", { example: reportExample });

export const ReportSchema = ReportSummarySchema.extend({
  content: z.string().openapi({ description: "Markdown." }),
  htmlContent: z.string().nullable(),
}).openapi("Report", {
  example: {
    ...reportExample,
    content: "# Weekly performance\n\nSpend rose 12%…",
    htmlContent: "<h1>Weekly performance</h1><p>Spend rose 12%…</p>",
  },
});

const periodInOrder = (r: { periodStart?: string | undefined; periodEnd?: string | undefined }) =>
  !r.periodStart || !r.periodEnd || Date.parse(r.periodStart) < Date.parse(r.periodEnd);
const periodOrderError = { message: "periodStart must be before periodEnd", path: ["periodEnd"] };

export const CreateReport = z
  .object({
    title: z.string().trim().min(1).max(300),
    type: ReportTypeSchema,
    periodStart: instant,
    periodEnd: instant,
    content: z.string().min(1).openapi({ description: "Markdown." }),
    recipients: Recipients,
    htmlContent: z.string().optional(),
    summary: Summary.optional(),
    workflowId: z.string().min(1).max(100).optional(),
    adAccountId: z.string().min(1).max(100).optional(),
    executionLogId: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "The execution that produced it; one report per execution." }),
    status: EditableReportStatus.optional().openapi({ description: "GENERATED (default: ready for delivery) or DRAFT." }),
  })
  .strict()
  .refine(periodInOrder, periodOrderError)
  .openapi("CreateReport", {
    example: {
      title: "Weekly performance — Nov 16–22",
      type: "WEEKLY_STORYTELLING",
      periodStart: "2026-11-16T00:00:00Z",
      periodEnd: "2026-11-23T00:00:00Z",
      content: "# Weekly performance\n\nSpend rose 12%…",
      recipients: ["marketing@acme.test"],
      workflowId: "cm3xw1x2c0000k3f9q2mzwkfl",
    },
  });

export const UpdateReport = z
  .object({
    title: z.string().trim().min(1).max(300).optional(),
    content: z.string().min(1).optional(),
    htmlContent: z.string().nullable().optional(),
    summary: Summary.nullable().optional(),
    recipients: Recipients.optional(),
    status: EditableReportStatus.optional(),
    periodStart: instant.optional(),
    periodEnd: instant.optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "Name at least one field to change" })
  .refine(periodInOrder, periodOrderError)
  .openapi("UpdateReport", { example: { status: "DRAFT", recipients: ["marketing@acme.test", "ceo@acme.test"] } });

type Summarised = Omit<Report, "content" | "htmlContent">;

function summaryFields(row: Summarised) {
  return {
    id: row.id,
    title: row.title,
    type: row.type,
    status: row.status,
    periodStart: iso(row.periodStart),
    periodEnd: iso(row.periodEnd),
    summary: row.summary,
    // Other writers (n8n Postgres nodes) share the table: show what is usable rather than fail.
    recipients: Array.isArray(row.recipients) ? row.recipients.filter((r): r is string => typeof r === "string") : [],
    sentAt: iso(row.sentAt),
    deliveryStatus: row.deliveryStatus,
    clientId: row.clientId,
    userId: row.userId,
    workflowId: row.workflowId,
    adAccountId: row.adAccountId,
    executionLogId: row.executionLogId,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function toReportSummary(row: Summarised): z.infer<typeof ReportSummarySchema> {
  return ReportSummarySchema.parse(summaryFields(row));
}

export function toReport(row: Report): z.infer<typeof ReportSchema> {
  return ReportSchema.parse({ ...summaryFields(row), content: row.content, htmlContent: row.htmlContent });
}

/** What the delivery server did with a report (POST /v1/reports/{id}/delivery). */
export const DeliveryOutcome = z
  .object({
    status: z.enum(["SENT", "FAILED"], { error: "Must be SENT or FAILED (case-sensitive)." }),
    sentAt: z.iso.datetime({ offset: true, error: "Must be an ISO-8601 date-time" }).optional().openapi({
      description: "When it was sent (SENT only; defaults to the time this is recorded).",
    }),
    deliveryStatus: z.record(z.string(), z.unknown()).optional().openapi({
      description: "What the delivery server wants kept: provider ids, per-recipient results, the error.",
    }),
  })
  .strict()
  .refine((b) => b.status === "SENT" || b.sentAt === undefined, { message: "sentAt is for a SENT delivery only", path: ["sentAt"] })
  .openapi("DeliveryOutcome", {
    example: { status: "SENT", sentAt: "2026-11-26T07:00:05.000Z", deliveryStatus: { provider: "ses", messageId: "0100018c-7a3e" } },
  });
