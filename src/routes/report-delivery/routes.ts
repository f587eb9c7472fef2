import { securedRoute } from "../../http/route.js";
import { IdParam } from "../../http/schemas.js";
import { DeliveredReportData, DeliveryOutcome } from "./schema.js";

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
    200: { description: "The report with its delivery recorded.", content: { "application/json": { schema: DeliveredReportData } } },
  },
  errors: [404, 409],
});
