import { beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "../support/api.js";
import { createApiKey, createTenant, ownerSql, type TestTenant } from "../support/fixtures.js";
import { createReport, postJson } from "../support/n8n-fixtures.js";

let acme: TestTenant;
let other: TestTenant;
let key: string;

beforeAll(async () => {
  [acme, other] = await Promise.all([createTenant(), createTenant()]);
  key = (await createApiKey(acme.clientId, ["reports:write"])).key;
});

const deliver = (id: string, body: unknown, credential = key) => postJson(`/v1/reports/${id}/delivery`, credential, body);

describe("POST /v1/reports/{id}/delivery", () => {
  it("records SENT on a GENERATED report with sentAt and deliveryStatus", async () => {
    const id = await createReport(acme.clientId, acme.admin.id);
    const res = await deliver(id, {
      status: "SENT",
      sentAt: "2026-11-26T07:00:05.000Z",
      deliveryStatus: { provider: "ses", messageId: "m-1" },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id,
      status: "SENT",
      sentAt: "2026-11-26T07:00:05.000Z",
      deliveryStatus: { provider: "ses", messageId: "m-1" },
    });
  });

  it("defaults sentAt to now", async () => {
    const id = await createReport(acme.clientId, acme.admin.id);
    const before = Date.now();
    const res = await deliver(id, { status: "SENT" });
    expect(Date.parse(res.body.data.sentAt)).toBeGreaterThanOrEqual(before - 5000);
    expect(Date.parse(res.body.data.sentAt)).toBeLessThanOrEqual(Date.now() + 5000);
  });

  it("records FAILED, then a retried FAILED, then SENT", async () => {
    const id = await createReport(acme.clientId, acme.admin.id);
    const failed = await deliver(id, { status: "FAILED", deliveryStatus: { error: "mailbox full" } });
    expect(failed.body.data).toMatchObject({ status: "FAILED", sentAt: null, deliveryStatus: { error: "mailbox full" } });
    const again = await deliver(id, { status: "FAILED", deliveryStatus: { error: "timeout" } });
    expect(again.body.data).toMatchObject({ status: "FAILED", deliveryStatus: { error: "timeout" } });
    const sent = await deliver(id, { status: "SENT", deliveryStatus: { messageId: "m-2" } });
    expect(sent.status).toBe(200);
    expect(sent.body.data).toMatchObject({ status: "SENT", deliveryStatus: { messageId: "m-2" } });
  });

  it("answers a repeated SENT with 200 and changes nothing", async () => {
    const id = await createReport(acme.clientId, acme.admin.id);
    const first = await deliver(id, { status: "SENT", sentAt: "2026-11-26T07:00:05.000Z" });
    const again = await deliver(id, { status: "SENT", sentAt: "2026-11-26T07:00:05.000Z" });
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
  });

  it("refuses SENT → FAILED and any delivery of a DRAFT with 409", async () => {
    const sent = await createReport(acme.clientId, acme.admin.id, { status: "SENT" });
    const res = await deliver(sent, { status: "FAILED" });
    expect(res.status).toBe(409);
    expectEnvelope(res.body, "conflict");
    const [row] = await ownerSql.query(`select status from reports where id = $1`, [sent]);
    expect(row!.status).toBe("SENT");

    const draft = await createReport(acme.clientId, acme.admin.id, { status: "DRAFT" });
    for (const status of ["SENT", "FAILED"]) expect((await deliver(draft, { status })).status, status).toBe(409);
  });

  it("refuses a status other than SENT or FAILED, sentAt on FAILED, and unknown fields with 400", async () => {
    const id = await createReport(acme.clientId, acme.admin.id);
    for (const body of [
      { status: "GENERATED" },
      { status: "sent" },
      { status: "FAILED", sentAt: "2026-11-26T07:00:05.000Z" },
      { status: "SENT", extra: 1 },
    ]) {
      const res = await deliver(id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expectEnvelope(res.body, "invalid_request");
    }
  });

  it("answers another tenant's report like a missing one (404)", async () => {
    const theirs = await createReport(other.clientId, other.admin.id);
    const res = await deliver(theirs, { status: "SENT" });
    expect(res.status).toBe(404);
    const [row] = await ownerSql.query(`select status from reports where id = $1`, [theirs]);
    expect(row!.status).toBe("GENERATED");
  });

  it("answers 403 to a key without reports:write", async () => {
    const id = await createReport(acme.clientId, acme.admin.id);
    const readOnly = (await createApiKey(acme.clientId, ["reports:read", "executions:write"])).key;
    expect((await deliver(id, { status: "SENT" }, readOnly)).status).toBe(403);
  });
});
