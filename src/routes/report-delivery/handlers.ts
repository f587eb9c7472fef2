import { and, eq, inArray, sql } from "drizzle-orm";
import { reports } from "../../../drizzle/schema.js";
import { tenantBatch } from "../../db/tenant.js";
import { database } from "../../http/context.js";
import { handle } from "../../http/route.js";
import { conflict, notFound } from "../../lib/errors.js";
import { recordDelivery } from "./routes.js";
import { toDeliveredReport } from "./schema.js";

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
  return c.json({ data: toDeliveredReport(row) }, 200);
});
