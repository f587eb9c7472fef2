import { beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "../support/api.js";
import { api } from "../support/client.js";
import { bearer, createTenant, createUser, ownerSql, type TestTenant } from "../support/fixtures.js";
import { insertAdAccount, insertWorkflow, setMaxWorkflows } from "../support/workflow-fixtures.js";
import { detailPaths, send } from "./support.js";

let acme: TestTenant;
let other: TestTenant;
let acmeAccount: string;
let otherAccount: string;

beforeAll(async () => {
  [acme, other] = await Promise.all([createTenant(), createTenant()]);
  [acmeAccount, otherAccount] = await Promise.all([insertAdAccount(acme.clientId), insertAdAccount(other.clientId)]);
  // Many creations below; the plan limit has its own tests.
  await Promise.all([setMaxWorkflows(acme.clientId, 1000), setMaxWorkflows(other.clientId, 1000)]);
});

const countWorkflows = async (clientId: string) =>
  Number((await ownerSql.query(`select count(*) as n from workflows where "clientId" = $1`, [clientId]))[0]!.n);

describe("POST /v1/workflows", () => {
  it("creates a workflow with every field, made by the caller", async () => {
    const res = await api.v1.workflows.$post(
      {
        json: {
          name: "Weekly report",
          type: "WEEKLY_REPORT",
          description: "Mondays",
          status: "ACTIVE",
          n8nWorkflowId: `wf-${acme.clientId}`,
          n8nWebhookUrl: "https://n8n.acme.test/webhook/weekly",
          schedule: "0 9 * * MON",
          timezone: "Europe/Madrid",
          config: { metrics: ["spend"], nested: { on: true } },
          adAccountId: acmeAccount,
        },
      },
      { headers: bearer(acme.user.token) },
    );
    expect(res.status).toBe(201);
    if (res.status !== 201) return;
    const { data } = await res.json();
    expect(data).toMatchObject({
      clientId: acme.clientId,
      name: "Weekly report",
      type: "WEEKLY_REPORT",
      description: "Mondays",
      status: "ACTIVE",
      n8nWorkflowId: `wf-${acme.clientId}`,
      n8nWebhookUrl: "https://n8n.acme.test/webhook/weekly",
      schedule: "0 9 * * MON",
      timezone: "Europe/Madrid",
      config: { metrics: ["spend"], nested: { on: true } },
      adAccountId: acmeAccount,
      createdBy: acme.user.id,
      lastExecutedAt: null,
    });
    expect(Math.abs(Date.parse(data.createdAt) - Date.now())).toBeLessThan(60_000);
    expect(data.updatedAt).toBe(data.createdAt);

    const read = await api.v1.workflows[":id"].$get({ param: { id: data.id } }, { headers: bearer(acme.viewer.token) });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ data });
  });

  it("fills the defaults: INACTIVE, America/Mexico_City, empty config, nulls", async () => {
    const res = await send("POST", "/v1/workflows", acme.user.token, { name: "Bare", type: "CUSTOM" });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      status: "INACTIVE",
      timezone: "America/Mexico_City",
      config: {},
      description: null,
      n8nWorkflowId: null,
      n8nWebhookUrl: null,
      schedule: null,
      adAccountId: null,
    });
  });

  it.each(["* * * * *", "*/15 8-18 * * 1-5", "0 0 1 JAN,JUL *", "30 6 * * sun"])("accepts the cron %j", async (schedule) => {
    const res = await send("POST", "/v1/workflows", acme.user.token, { name: "Cron", type: "DAILY_METRICS", schedule });
    expect(res.status).toBe(201);
    expect(res.body.data.schedule).toBe(schedule);
  });

  it.each(["0 0 9 * * 1", "61 * * * *", "* 24 * * *", "@daily", "every monday", "* * * *", "", "5-1 * * * *", "* * ? * *"])(
    "refuses the schedule %j with a detail on schedule",
    async (schedule) => {
      const res = await send("POST", "/v1/workflows", acme.user.token, { name: "Cron", type: "DAILY_METRICS", schedule });
      expect(res.status).toBe(400);
      expectEnvelope(res.body, "invalid_request");
      expect(detailPaths(res.body)).toEqual(["schedule"]);
      expect(res.body.error.details[0].message).toMatch(/cron/);
    },
  );

  it.each(["UTC", "Asia/Kolkata", "America/Argentina/Buenos_Aires", "Etc/GMT+5"])("accepts the time zone %j", async (timezone) => {
    const res = await send("POST", "/v1/workflows", acme.user.token, { name: "Tz", type: "CUSTOM", timezone });
    expect(res.status).toBe(201);
    expect(res.body.data.timezone).toBe(timezone);
  });

  it.each(["Mars/Olympus_Mons", "America/Nowhere", "+05:00", "GMT+25", "", "America/../etc"])(
    "refuses the time zone %j",
    async (timezone) => {
      const res = await send("POST", "/v1/workflows", acme.user.token, { name: "Tz", type: "CUSTOM", timezone });
      expect(res.status).toBe(400);
      expect(detailPaths(res.body)).toEqual(["timezone"]);
    },
  );

  it("refuses a webhook URL that is not http(s), a config that is not an object, a wrong-case type and a missing name", async () => {
    const res = await send("POST", "/v1/workflows", acme.user.token, {
      type: "weekly_report",
      n8nWebhookUrl: "ftp://n8n.acme.test/x",
      config: ["not", "an", "object"],
    });
    expect(res.status).toBe(400);
    expect(detailPaths(res.body).sort()).toEqual(["config", "n8nWebhookUrl", "name", "type"]);
    const typeDetail = res.body.error.details.find((d: { path: string }) => d.path === "type");
    expect(typeDetail.message).toMatch(/WEEKLY_REPORT/);
  });

  it("refuses fields it does not know (clientId, createdBy…)", async () => {
    const res = await send("POST", "/v1/workflows", acme.user.token, {
      name: "x",
      type: "CUSTOM",
      clientId: other.clientId,
      createdBy: other.admin.id,
    });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
    expect(await countWorkflows(other.clientId)).toBe(0);
  });

  it.each([
    ["another tenant's", () => otherAccount],
    ["a missing", () => "cm_no_such_account"],
  ])("refuses %s ad account with 400 on adAccountId and writes nothing", async (_, account) => {
    const before = await countWorkflows(acme.clientId);
    const res = await send("POST", "/v1/workflows", acme.user.token, { name: "x", type: "CUSTOM", adAccountId: account() });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
    expect(detailPaths(res.body)).toEqual(["adAccountId"]);
    expect(await countWorkflows(acme.clientId)).toBe(before);
  });

  it("answers 409 conflict for an n8nWorkflowId already used in the tenant, and allows it in another tenant", async () => {
    const n8nWorkflowId = `shared-${Date.now()}`;
    const first = await send("POST", "/v1/workflows", acme.user.token, { name: "a", type: "CUSTOM", n8nWorkflowId });
    expect(first.status).toBe(201);
    const again = await send("POST", "/v1/workflows", acme.admin.token, { name: "b", type: "CUSTOM", n8nWorkflowId });
    expect(again.status).toBe(409);
    expectEnvelope(again.body, "conflict");
    expect(detailPaths(again.body)).toEqual(["n8nWorkflowId"]);
    const elsewhere = await send("POST", "/v1/workflows", other.user.token, { name: "c", type: "CUSTOM", n8nWorkflowId });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.data.n8nWorkflowId).toBe(n8nWorkflowId);
  });

  it("refuses a VIEWER", async () => {
    const viewer = await send("POST", "/v1/workflows", acme.viewer.token, { name: "x", type: "CUSTOM" });
    expect(viewer.status).toBe(403);
  });

  it("lets a SUPER_ADMIN create for a tenant named with ?clientId=, recorded as the creator", async () => {
    const root = await createUser({ clientId: null, role: "SUPER_ADMIN" });
    const res = await send("POST", `/v1/workflows?clientId=${other.clientId}`, root.token, {
      name: "ops",
      type: "CUSTOM",
      adAccountId: otherAccount,
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ clientId: other.clientId, createdBy: root.id, adAccountId: otherAccount });
    const nowhere = await send("POST", `/v1/workflows?clientId=no-such-client`, root.token, { name: "ops", type: "CUSTOM" });
    expect(nowhere.status).toBe(404);
  });
});

describe("the maxWorkflows plan limit", () => {
  it("lets exactly the remaining room through when ten creations race", async () => {
    const t = await createTenant();
    await Promise.all([insertWorkflow(t.clientId, t.admin.id), insertWorkflow(t.clientId, t.admin.id)]);
    await setMaxWorkflows(t.clientId, 5);

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send("POST", "/v1/workflows", t.user.token, { name: `race ${i}`, type: "CUSTOM" })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409, 409, 409, 409, 409]);
    for (const refused of results.filter((r) => r.status === 409)) {
      expectEnvelope(refused.body, "limit_reached");
      expect(refused.body.error.details).toEqual([
        { path: "resource", message: "workflows" },
        { path: "current", message: "5" },
        { path: "max", message: "5" },
      ]);
    }
    expect(await countWorkflows(t.clientId)).toBe(5);
  });

  it("checks the references before the limit: a bad ad account at the limit is still a 400", async () => {
    const t = await createTenant();
    await setMaxWorkflows(t.clientId, 0);
    const res = await send("POST", "/v1/workflows", t.user.token, { name: "x", type: "CUSTOM", adAccountId: otherAccount });
    expect(res.status).toBe(400);
    const full = await send("POST", "/v1/workflows", t.user.token, { name: "x", type: "CUSTOM" });
    expect(full.status).toBe(409);
    expectEnvelope(full.body, "limit_reached");
  });
});
