import { z } from "@hono/zod-openapi";
import type { Report } from "../../../drizzle/schema.js";
import { ReportStatusSchema, ReportTypeSchema } from "../../http/enums.js";
import { Timestamp, iso } from "../../http/schemas.js";

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

const example = {
  id: "cm3xr1x2c0000k3f9q2mzrept",
  title: "Weekly performance, Nov 19–25",
  type: "WEEKLY_STORYTELLING",
  status: "SENT",
  periodStart: "2026-11-19T00:00:00.000Z",
  periodEnd: "2026-11-26T00:00:00.000Z",
  content: "# Week in review\n\nSpend rose 12%…",
  htmlContent: null,
  summary: null,
  recipients: ["marketing@acme.test"],
  sentAt: "2026-11-26T07:00:05.000Z",
  deliveryStatus: { provider: "ses", messageId: "0100018c-7a3e" },
  clientId: "demo_client_acme",
  userId: "demo_user_acme_admin",
  workflowId: "cm3xw1x2c0000k3f9q2mzwkfl",
  adAccountId: null,
  executionLogId: "cm3xe1x2c0000k3f9q2mzexec",
  createdAt: "2026-11-26T06:00:42.600Z",
  updatedAt: "2026-11-26T07:00:05.120Z",
} as const;

/** The report after its delivery was recorded. */
export const DeliveredReport = z
  .object({
    id: z.string(),
    title: z.string(),
    type: ReportTypeSchema,
    status: ReportStatusSchema,
    periodStart: Timestamp,
    periodEnd: Timestamp,
    content: z.string(),
    htmlContent: z.string().nullable(),
    summary: z.unknown().nullable(),
    recipients: z.array(z.string()),
    sentAt: Timestamp.nullable(),
    deliveryStatus: z.unknown().nullable(),
    clientId: z.string(),
    userId: z.string(),
    workflowId: z.string().nullable(),
    adAccountId: z.string().nullable(),
    executionLogId: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("DeliveredReport", { example });

export const DeliveredReportData = z.object({ data: DeliveredReport }).openapi("DeliveredReportData", { example: { data: example } });

export function toDeliveredReport(row: Report): z.infer<typeof DeliveredReport> {
  return DeliveredReport.parse({
    ...row,
    periodStart: iso(row.periodStart),
    periodEnd: iso(row.periodEnd),
    sentAt: iso(row.sentAt),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  });
}
