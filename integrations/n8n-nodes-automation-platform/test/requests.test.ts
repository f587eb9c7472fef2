import { describe, expect, it } from "vitest";
import {
  buildRequest,
  executionReport,
  instant,
  ParameterError,
  quotaAcquire,
  quotaUsage,
  recipientList,
  reportCreate,
  reportDelivery,
} from "../nodes/AutomationPlatform/requests";

const NOW = new Date("2026-11-26T06:00:00.000Z");

/** A parameter reader over fixed values; an absent name gives the node's fallback, like getNodeParameter. */
const params =
  (values: Record<string, unknown>) =>
  (name: string, fallback?: unknown): unknown =>
    name in values ? values[name] : fallback;

describe("execution → report", () => {
  const defaults = { executionId: "231", n8nWorkflowId: "reportNode" };

  it("sends running with the execution and the n8n workflow id, started now, and no item", () => {
    const req = executionReport(params({ ...defaults, status: "running" }), { ignored: true }, NOW);
    expect(req).toEqual({
      method: "POST",
      path: "/v1/webhooks/n8n/executions",
      body: { executionId: "231", n8nWorkflowId: "reportNode", status: "running", startedAt: "2026-11-26T06:00:00.000Z" },
    });
  });

  it("sends success with the input item as output, stopped now", () => {
    const item = { campaigns: 12, spend: 1843.2 };
    const req = executionReport(params({ ...defaults, status: "success", sendItemAs: "output" }), item, NOW);
    expect(req.body).toEqual({
      executionId: "231",
      n8nWorkflowId: "reportNode",
      status: "success",
      output: { campaigns: 12, spend: 1843.2 },
      stoppedAt: "2026-11-26T06:00:00.000Z",
    });
    expect(req.body?.output).not.toBe(item); // a copy: the node's output items are not shared
  });

  it("names the workflow by the API's id when asked", () => {
    const req = executionReport(
      params({ ...defaults, workflowBy: "workflowId", workflowId: "demo_wf_acme_weekly", status: "error" }),
      {},
      NOW,
    );
    expect(req.body).toMatchObject({ workflowId: "demo_wf_acme_weekly", status: "error", stoppedAt: NOW.toISOString() });
    expect(req.body).not.toHaveProperty("n8nWorkflowId");
  });

  it("takes additional fields: JSON typed as text or given as values, numbers, instants with or without a zone", () => {
    const req = executionReport(
      params({
        ...defaults,
        status: "success",
        sendItemAs: "none",
        additionalFields: {
          output: '{"rows": 3}',
          logs: [{ step: 1 }],
          error: "",
          mode: "production",
          retryOf: "230",
          apiCallsUsed: 18,
          dataProcessed: "1250",
          metaAdAccountId: "act_100000000001",
          startedAt: "2026-11-26T05:59:00",
          stoppedAt: "2026-11-26T06:00:42.512+01:00",
          report: { title: "Weekly", type: "WEEKLY_STORYTELLING" },
        },
      }),
      {},
      NOW,
    );
    expect(req.body).toEqual({
      executionId: "231",
      n8nWorkflowId: "reportNode",
      status: "success",
      output: { rows: 3 },
      logs: [{ step: 1 }],
      report: { title: "Weekly", type: "WEEKLY_STORYTELLING" },
      mode: "production",
      retryOf: "230",
      metaAdAccountId: "act_100000000001",
      apiCallsUsed: 18,
      dataProcessed: 1250,
      startedAt: "2026-11-26T05:59:00.000Z",
      stoppedAt: "2026-11-26T05:00:42.512Z",
    });
  });

  it("refuses what the API would refuse, before sending", () => {
    expect(() => executionReport(params({ ...defaults, executionId: " " }), {}, NOW)).toThrow(/Execution ID is empty/);
    expect(() => executionReport(params({ ...defaults, status: "SUCCESS" }), {}, NOW)).toThrow(ParameterError);
    expect(() => executionReport(params({ ...defaults, additionalFields: { output: "{oops" } }), {}, NOW)).toThrow(
      /output is not valid JSON/,
    );
    expect(() => executionReport(params({ ...defaults, additionalFields: { apiCallsUsed: -1 } }), {}, NOW)).toThrow(/apiCallsUsed/);
    expect(() => executionReport(params({ ...defaults, additionalFields: { startedAt: "yesterday" } }), {}, NOW)).toThrow(/not a date/);
  });
});

describe("quota", () => {
  it("acquire: cost 1 and ads_management unless set, the id escaped in the path", () => {
    expect(quotaAcquire(params({ adAccountId: "demo_adacct_acme_main" }))).toEqual({
      method: "POST",
      path: "/v1/ad-accounts/demo_adacct_acme_main/quota/acquire",
      body: { cost: 1, useCase: "ads_management" },
    });
    expect(quotaAcquire(params({ adAccountId: "a/b", cost: 3, useCase: "ads_insights" }))).toEqual({
      method: "POST",
      path: "/v1/ad-accounts/a%2Fb/quota/acquire",
      body: { cost: 3, useCase: "ads_insights" },
    });
    expect(() => quotaAcquire(params({ adAccountId: "" }))).toThrow(/Ad Account ID is empty/);
    expect(() => quotaAcquire(params({ adAccountId: "x", cost: 1.5 }))).toThrow(/whole number/);
  });

  it("reportUsage: Meta's four usage headers in any case, as strings; other headers left out", () => {
    const item = {
      statusCode: 200,
      headers: {
        "X-Ad-Account-Usage": '{"acc_id_util_pct":93.5}',
        "x-business-use-case-usage": { act_1: [{ type: "ads_insights", call_count: 28 }] },
        "x-app-usage": ['{"call_count":5}'],
        "content-type": "application/json",
      },
    };
    expect(quotaUsage(params({ adAccountId: "acct" }), item)).toEqual({
      method: "POST",
      path: "/v1/ad-accounts/acct/quota/usage",
      body: {
        headers: {
          "x-ad-account-usage": '{"acc_id_util_pct":93.5}',
          "x-business-use-case-usage": '{"act_1":[{"type":"ads_insights","call_count":28}]}',
          "x-app-usage": '{"call_count":5}',
        },
      },
    });
  });

  it("reportUsage: Meta's error from the body (code and subcode only), headers from a custom field", () => {
    const item = {
      meta: { h: { "x-app-usage": "{}" } },
      body: { error: { message: "Too many calls", code: 80004, error_subcode: "2446079", fbtrace_id: "x" } },
    };
    expect(quotaUsage(params({ adAccountId: "acct", headersField: "meta.h" }), item).body).toEqual({
      headers: { "x-app-usage": "{}" },
      error: { code: 80004, error_subcode: 2446079 },
    });
  });

  it("reportUsage: an item with neither field is a configuration mistake, said as such", () => {
    expect(() => quotaUsage(params({ adAccountId: "acct" }), { json: 1 })).toThrow(/Nothing to report.*"headers".*"body.error"/);
    expect(() => quotaUsage(params({ adAccountId: "acct" }), { headers: "x" })).toThrow(/not an object/);
    // Headers present but none of Meta's usage ones: still reported (the API answers the state).
    expect(quotaUsage(params({ adAccountId: "acct" }), { headers: { date: "now" } }).body).toEqual({});
  });
});

describe("ad account and report", () => {
  it("getCredentials is a GET of the account's credentials", () => {
    expect(buildRequest("adAccount", "getCredentials", params({ adAccountId: "demo_adacct_acme_main" }), {}, NOW)).toEqual({
      method: "GET",
      path: "/v1/ad-accounts/demo_adacct_acme_main/credentials",
    });
  });

  it("report create: required fields, recipients split, editor dates as UTC, optional fields only when set", () => {
    const req = reportCreate(
      params({
        title: " Weekly ",
        reportType: "MONTHLY_SUMMARY",
        periodStart: "2026-11-01T00:00:00",
        periodEnd: "2026-12-01",
        content: "# Month",
        recipients: "a@example.com, b@example.com;c@example.com",
        additionalFields: { summary: '{"spend": 10}', workflowId: "demo_wf_acme_weekly", htmlContent: "", status: "DRAFT" },
      }),
    );
    expect(req).toEqual({
      method: "POST",
      path: "/v1/reports",
      body: {
        title: "Weekly",
        type: "MONTHLY_SUMMARY",
        periodStart: "2026-11-01T00:00:00.000Z",
        periodEnd: "2026-12-01T00:00:00.000Z",
        content: "# Month",
        recipients: ["a@example.com", "b@example.com", "c@example.com"],
        workflowId: "demo_wf_acme_weekly",
        status: "DRAFT",
        summary: { spend: 10 },
      },
    });
    expect(recipientList(["x@example.com"])).toEqual(["x@example.com"]);
    expect(() => recipientList(" , ")).toThrow(/Recipients is empty/);
    expect(instant({ toISO: () => "2026-01-01T01:00:00.000+01:00" }, "x")).toBe("2026-01-01T00:00:00.000Z");
    expect(instant(new Date("2026-01-01T00:00:00Z"), "x")).toBe("2026-01-01T00:00:00.000Z");
  });

  it("report recordDelivery: status, sentAt only for SENT, details as deliveryStatus", () => {
    expect(
      reportDelivery(
        params({
          reportId: "rep_1",
          deliveryStatus: "SENT",
          additionalFields: { sentAt: "2026-11-26T07:00:05Z", details: { messageId: "m1" } },
        }),
      ),
    ).toEqual({
      method: "POST",
      path: "/v1/reports/rep_1/delivery",
      body: { status: "SENT", sentAt: "2026-11-26T07:00:05.000Z", deliveryStatus: { messageId: "m1" } },
    });
    expect(reportDelivery(params({ reportId: "rep_1", deliveryStatus: "FAILED" })).body).toEqual({ status: "FAILED" });
    expect(() =>
      reportDelivery(params({ reportId: "r", deliveryStatus: "FAILED", additionalFields: { sentAt: "2026-11-26T07:00:05Z" } })),
    ).toThrow(/SENT delivery only/);
    expect(() => reportDelivery(params({ reportId: "r", additionalFields: { details: "[1]" } }))).toThrow(/JSON object/);
  });

  it("an unknown resource/operation pair is refused", () => {
    expect(() => buildRequest("report", "delete", params({}), {}, NOW)).toThrow(/Unknown operation report.delete/);
  });
});
