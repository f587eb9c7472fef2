import { securedRoute } from "../../http/route.js";
import { IdParam, dataOf, listOf } from "../../http/schemas.js";
import { CreateReport, DeliveryOutcome, ListReportsQuery, ReportSchema, ReportSummarySchema, UpdateReport } from "./schema.js";

export const listReports = securedRoute("reports.list", {
  method: "get",
  path: "/v1/reports",
  tags: ["Reports"],
  summary: "List the client's reports (newest first; ?order=asc for oldest first)",
  description:
    "Ordered by `createdAt`, the id breaking ties; the cursor is stable while reports are added, in either order. " +
    "The delivery server polls `?status=GENERATED&order=asc`. " +
    "List items leave out `content` and `htmlContent`: read one report for them.",
  request: { query: ListReportsQuery },
  responses: {
    200: {
      description: "A page of reports, without content/htmlContent.",
      content: { "application/json": { schema: listOf(ReportSummarySchema) } },
    },
  },
});

export const createReport = securedRoute("reports.create", {
  method: "post",
  path: "/v1/reports",
  tags: ["Reports"],
  summary: "Create a report (USER and above, or an API key with reports:write)",
  description:
    "`periodStart` must be before `periodEnd`. `status` is GENERATED (default) or DRAFT; SENT and FAILED are recorded by delivery. " +
    "`workflowId`, `adAccountId` and `executionLogId` must belong to the client (else 400 naming the field); " +
    "an execution already linked to a report is a 409. The owner (`userId`) is the calling person; " +
    "a report created by an API key is owned by its workflow's creator, else by the key's creator.",
  request: { body: { required: true, content: { "application/json": { schema: CreateReport } } } },
  responses: {
    201: { description: "The created report.", content: { "application/json": { schema: dataOf(ReportSchema) } } },
  },
  errors: [409],
});

export const getReport = securedRoute("reports.read", {
  method: "get",
  path: "/v1/reports/{id}",
  tags: ["Reports"],
  summary: "One report, with its content, HTML, summary, recipients and delivery status",
  request: { params: IdParam },
  responses: {
    200: { description: "The report.", content: { "application/json": { schema: dataOf(ReportSchema) } } },
  },
});

export const updateReport = securedRoute("reports.update", {
  method: "patch",
  path: "/v1/reports/{id}",
  tags: ["Reports"],
  summary: "Change a report's title, content, recipients, period or status (GENERATED/DRAFT)",
  description:
    "`status` can only be set to GENERATED or DRAFT: SENT and FAILED are recorded by delivery. " +
    "The period must stay in order, counting the stored `periodStart`/`periodEnd` when only one is changed.",
  request: { params: IdParam, body: { required: true, content: { "application/json": { schema: UpdateReport } } } },
  responses: {
    200: { description: "The updated report.", content: { "application/json": { schema: dataOf(ReportSchema) } } },
  },
});

export const deleteReport = securedRoute("reports.delete", {
  method: "delete",
  path: "/v1/reports/{id}",
  tags: ["Reports"],
  summary: "Delete a report (ADMIN)",
  request: { params: IdParam },
  responses: {
    200: { description: "The deleted report.", content: { "application/json": { schema: dataOf(ReportSchema) } } },
  },
});

export const recordDelivery = securedRoute("reports.deliver", {
  method: "post",
  path: "/v1/reports/{id}/delivery",
  tags: ["Reports"],
  summary: "The delivery server records what it did with a report (SENT or FAILED)",
  description:
    "Bearer API key with `reports:write`. Transitions: GENERATED → SENT or FAILED; FAILED → SENT or FAILED (a retried " +
    "delivery). Recording SENT on a SENT report again changes nothing (200). Anything else (SENT → FAILED, a DRAFT) → 409. " +
    "Work to deliver is `GET /v1/reports?status=GENERATED&order=asc`.",
  request: { params: IdParam, body: { required: true, content: { "application/json": { schema: DeliveryOutcome } } } },
  responses: {
    200: { description: "The report with its delivery recorded.", content: { "application/json": { schema: dataOf(ReportSchema) } } },
  },
  errors: [404, 409],
});
