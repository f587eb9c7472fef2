// The node's execute() against a fake n8n context: what it sends (URL, method, credential, body) and
// what it makes of the API's answers (data, error envelopes, 429 with Retry-After, Continue On Fail).
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INode } from "n8n-workflow";
import { NodeApiError, NodeOperationError } from "n8n-workflow";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AutomationPlatform } from "../nodes/AutomationPlatform/AutomationPlatform.node";
import { AutomationPlatformApi } from "../credentials/AutomationPlatformApi.credentials";

const sleeps: number[] = [];
vi.mock("n8n-workflow", async (importOriginal) => {
  const original = await importOriginal<typeof import("n8n-workflow")>();
  return {
    ...original,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  };
});

interface Answer {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
}

const NODE: INode = {
  id: "n1",
  name: "Automation Platform",
  type: "n8n-nodes-automation-platform.automationPlatform",
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
};

/** A fake IExecuteFunctions: parameters per item (a function of the item index), answers in order. */
function context(options: {
  items: IDataObject[];
  params: Record<string, unknown> | ((i: number) => Record<string, unknown>);
  answers: Answer[];
  continueOnFail?: boolean;
  baseUrl?: string;
}) {
  const sent: Array<{ credential: string; options: IHttpRequestOptions }> = [];
  const answers = [...options.answers];
  const ctx = {
    getInputData: () => options.items.map((json) => ({ json })),
    getNodeParameter: (name: string, i: number, fallback?: unknown) => {
      const p = typeof options.params === "function" ? options.params(i) : options.params;
      return name in p ? p[name] : fallback;
    },
    getNode: () => NODE,
    continueOnFail: () => options.continueOnFail ?? false,
    getCredentials: async () => ({ baseUrl: options.baseUrl ?? "http://127.0.0.1:8791/", apiKey: "apk_test" }),
    helpers: {
      httpRequestWithAuthentication: async (credential: string, req: IHttpRequestOptions) => {
        sent.push({ credential, options: req });
        const answer = answers.shift();
        if (!answer) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8791"), { code: "ECONNREFUSED" });
        return { statusCode: answer.statusCode, headers: answer.headers ?? {}, body: answer.body };
      },
    },
  };
  return { ctx: ctx as unknown as IExecuteFunctions, sent };
}

const run = (ctx: IExecuteFunctions) => new AutomationPlatform().execute.call(ctx);

const envelope = (code: string, message: string, requestId = "req_123", details?: unknown[]) => ({
  error: { code, message, requestId, ...(details ? { details } : {}) },
});

beforeEach(() => {
  sleeps.length = 0;
});

describe("description", () => {
  it("is the node and credential the issue names", () => {
    const d = new AutomationPlatform().description;
    expect(d.name).toBe("automationPlatform");
    expect(d.credentials).toEqual([{ name: "automationPlatformApi", required: true }]);
    const resource = d.properties.find((p) => p.name === "resource");
    expect(resource?.options?.map((o) => (o as { value: string }).value).sort()).toEqual(["adAccount", "execution", "quota", "report"]);
    const ops = Object.fromEntries(
      d.properties
        .filter((p) => p.name === "operation")
        .map((p) => [p.displayOptions?.show?.resource?.[0], p.options?.map((o) => (o as { value: string }).value)]),
    );
    expect(ops).toEqual({
      execution: ["report"],
      quota: ["acquire", "reportUsage"],
      adAccount: ["getCredentials"],
      report: ["create", "recordDelivery"],
    });
    const status = d.properties.find((p) => p.name === "status");
    expect(status?.options?.map((o) => (o as { value: string }).value)).toEqual(expect.arrayContaining(["running", "success"]));
    expect(d.properties.find((p) => p.name === "executionId")?.default).toBe("={{ $execution.id }}");
    expect(d.properties.find((p) => p.name === "n8nWorkflowId")?.default).toBe("={{ $workflow.id }}");
    expect(d.properties.find((p) => p.name === "cost")?.default).toBe(1);
  });

  it("the credential sends the key as a Bearer token and tests it against the API", () => {
    const c = new AutomationPlatformApi();
    expect(c.name).toBe("automationPlatformApi");
    expect(c.properties.map((p) => p.name)).toEqual(["baseUrl", "apiKey"]);
    expect(c.properties[1]?.typeOptions?.password).toBe(true);
    expect(c.authenticate.properties.headers).toEqual({ Authorization: "=Bearer {{$credentials.apiKey}}" });
    expect(c.test.request).toMatchObject({ url: "/v1/workflows", ignoreHttpStatusErrors: true });
    expect(c.test.rules?.map((r) => (r.properties as { value: unknown }).value)).toContain("unauthorized");
  });
});

describe("requests", () => {
  it("execution → report: POST to the base URL (trailing slash dropped) with the automationPlatformApi credential; outputs data", async () => {
    const stored = { id: "exec_1", status: "RUNNING", n8nExecutionId: "77", error: null, output: null };
    const { ctx, sent } = context({
      items: [{}],
      params: { resource: "execution", operation: "report", status: "running", executionId: "77", n8nWorkflowId: "wf1" },
      answers: [{ statusCode: 201, body: { data: stored } }],
    });
    const out = await run(ctx);
    // The stored execution, its `error` as executionError: n8n's Retry On Fail takes any output item
    // with a top-level `error` key for a failed one and would send the report again.
    expect(out).toEqual([
      [{ json: { id: "exec_1", status: "RUNNING", n8nExecutionId: "77", output: null, executionError: null }, pairedItem: { item: 0 } }],
    ]);
    expect(out[0]?.[0]?.json).not.toHaveProperty("error");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.credential).toBe("automationPlatformApi");
    expect(sent[0]?.options).toMatchObject({
      method: "POST",
      url: "http://127.0.0.1:8791/v1/webhooks/n8n/executions",
      json: true,
      returnFullResponse: true,
      ignoreHttpStatusErrors: true,
      body: { executionId: "77", n8nWorkflowId: "wf1", status: "running" },
    });
    expect(sent[0]?.options.headers).not.toHaveProperty("Authorization"); // n8n adds it from the credential
  });

  it("one request per item, each with its own parameters; a base URL ending in /v1 is tolerated", async () => {
    const { ctx, sent } = context({
      items: [{ a: 1 }, { a: 2 }],
      params: (i) => ({ resource: "adAccount", operation: "getCredentials", adAccountId: `acct_${i}` }),
      answers: [
        { statusCode: 200, body: { data: { metaAdAccountId: "act_1", accessToken: "t1", tokenExpiresAt: null } } },
        { statusCode: 200, body: JSON.stringify({ data: { metaAdAccountId: "act_2", accessToken: "t2", tokenExpiresAt: null } }) },
      ],
      baseUrl: "https://api.example.com/v1/",
    });
    const out = await run(ctx);
    expect(sent.map((s) => `${s.options.method} ${s.options.url}`)).toEqual([
      "GET https://api.example.com/v1/ad-accounts/acct_0/credentials",
      "GET https://api.example.com/v1/ad-accounts/acct_1/credentials",
    ]);
    expect(sent[0]?.options.body).toBeUndefined();
    expect(out[0]?.map((o) => o.json.accessToken)).toEqual(["t1", "t2"]);
  });

  it("a credential whose base URL is not a URL fails before any request", async () => {
    const { ctx, sent } = context({
      items: [{}],
      params: { resource: "adAccount", operation: "getCredentials", adAccountId: "x" },
      answers: [],
      baseUrl: "={{ $env.AUTOMATION_API_URL }}",
    });
    await expect(run(ctx)).rejects.toThrow(/Base URL .* is not an http\(s\) URL/);
    expect(sent).toHaveLength(0);
  });
});

describe("errors", () => {
  it("an error envelope becomes a NodeApiError with the message, code, status and request id", async () => {
    const { ctx } = context({
      items: [{}],
      params: { resource: "execution", operation: "report", status: "success", executionId: "1", n8nWorkflowId: "nope" },
      answers: [{ statusCode: 404, body: envelope("not_found", 'No workflow with n8nWorkflowId "nope" in this client.', "req_abc") }],
    });
    const error = await run(ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NodeApiError);
    const e = error as NodeApiError;
    expect(e.message).toBe('No workflow with n8nWorkflowId "nope" in this client. [not_found, HTTP 404, request req_abc]');
    expect(e.httpCode).toBe("404");
    expect(e.description).toContain("Request id: req_abc");
    expect(e.context.itemIndex).toBe(0);
  });

  it("field errors of a 400 are listed in the description", async () => {
    const { ctx } = context({
      items: [{}],
      params: {
        resource: "report",
        operation: "create",
        title: "t",
        periodStart: "2026-11-02",
        periodEnd: "2026-11-01",
        content: "c",
        recipients: "a@b.co",
      },
      answers: [
        {
          statusCode: 400,
          body: envelope("invalid_request", "The request is invalid.", "r1", [
            { path: "periodEnd", message: "periodStart must be before periodEnd" },
          ]),
        },
      ],
    });
    const e = (await run(ctx).catch((x: unknown) => x)) as NodeApiError;
    expect(e.message).toMatch(/^The request is invalid\. \[invalid_request, HTTP 400, request r1\]$/);
    expect(e.description).toContain("periodEnd: periodStart must be before periodEnd");
  });

  it("a 401 says to check the key; an answer without the envelope still says what came back", async () => {
    const first = context({
      items: [{}],
      params: { resource: "adAccount", operation: "getCredentials", adAccountId: "x" },
      answers: [{ statusCode: 401, body: envelope("unauthorized", "Invalid API key.", "r2") }],
    });
    const e1 = (await run(first.ctx).catch((x: unknown) => x)) as NodeApiError;
    expect(e1.message).toBe("Invalid API key. [unauthorized, HTTP 401, request r2]");
    expect(e1.description).toContain("expired or revoked");

    const second = context({
      items: [{}],
      params: { resource: "adAccount", operation: "getCredentials", adAccountId: "x" },
      answers: [{ statusCode: 502, body: "<html>Bad gateway</html>", headers: { "X-Request-Id": "edge-9" } }],
    });
    const e2 = (await run(second.ctx).catch((x: unknown) => x)) as NodeApiError;
    expect(e2.message).toBe("HTTP 502 without the API's error envelope: <html>Bad gateway</html> [http_502, HTTP 502, request edge-9]");
  });

  it("no answer at all is n8n's own connection error, saying where it tried", async () => {
    const { ctx } = context({ items: [{}], params: { resource: "adAccount", operation: "getCredentials", adAccountId: "x" }, answers: [] });
    const e = (await run(ctx).catch((x: unknown) => x)) as NodeApiError;
    expect(e).toBeInstanceOf(NodeApiError);
    expect(e.message).toMatch(/refused the connection/);
    expect(e.description).toContain("GET http://127.0.0.1:8791/v1/ad-accounts/x/credentials got no answer");
  });

  it("a parameter mistake is a NodeOperationError naming the field", async () => {
    const { ctx, sent } = context({ items: [{}], params: { resource: "quota", operation: "acquire", adAccountId: "" }, answers: [] });
    const e = await run(ctx).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NodeOperationError);
    expect((e as Error).message).toBe("Ad Account ID is empty");
    expect(sent).toHaveLength(0);
  });

  it("Continue On Fail: the failing item gets the error (message, code, request id), the others go on", async () => {
    const { ctx, sent } = context({
      items: [{}, {}, {}],
      params: (i) => ({ resource: "report", operation: "recordDelivery", reportId: `rep_${i}`, deliveryStatus: "SENT" }),
      answers: [
        { statusCode: 200, body: { data: { id: "rep_0", status: "SENT" } } },
        { statusCode: 409, body: envelope("conflict", "A SENT report cannot become FAILED.", "r_409") },
        { statusCode: 200, body: { data: { id: "rep_2", status: "SENT" } } },
      ],
      continueOnFail: true,
    });
    const [out] = await run(ctx);
    expect(sent).toHaveLength(3);
    expect(out?.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
    expect(out?.[0]?.json).toEqual({ id: "rep_0", status: "SENT" });
    expect(out?.[1]?.json).toEqual({
      error: "A SENT report cannot become FAILED. [conflict, HTTP 409, request r_409]",
      code: "conflict",
      httpCode: 409,
      requestId: "r_409",
    });
    expect(out?.[1]?.error).toBeInstanceOf(NodeApiError);
    expect(out?.[2]?.json).toEqual({ id: "rep_2", status: "SENT" });
  });
});

describe("quota → acquire on 429", () => {
  const exceeded = (retryAfter: string) => ({
    statusCode: 429,
    headers: { "retry-after": retryAfter, "ratelimit-remaining": "0" },
    body: envelope("quota_exceeded", "This ad account's Meta API budget has 0 of 200 points left, fewer than the 1 asked.", "rq", [
      { path: "reason", message: "budget" },
      { path: "retryAfter", message: retryAfter },
    ]),
  });
  const granted = { statusCode: 200, body: { data: { granted: true, remaining: 199, limit: 200, resetAt: "2026-11-26T07:00:00.000Z" } } };
  const params = (extra: Record<string, unknown>) => ({ resource: "quota", operation: "acquire", adAccountId: "acct", ...extra });

  it("waits Retry-After and asks again, then outputs the API's data", async () => {
    const { ctx, sent } = context({
      items: [{}],
      params: params({ onExceeded: "wait", maxWaitSeconds: 10 }),
      answers: [exceeded("3"), exceeded("4"), granted],
    });
    const [out] = await run(ctx);
    expect(sleeps).toEqual([3000, 4000]);
    expect(sent).toHaveLength(3);
    expect(sent.every((s) => s.options.url === "http://127.0.0.1:8791/v1/ad-accounts/acct/quota/acquire")).toBe(true);
    expect(sent[0]?.options.body).toEqual({ cost: 1, useCase: "ads_management" });
    expect(out?.[0]?.json).toEqual(granted.body.data);
  });

  it("gives up when the wait would pass Max Wait, with a quota error", async () => {
    const { ctx, sent } = context({
      items: [{}],
      params: params({ onExceeded: "wait", maxWaitSeconds: 5 }),
      answers: [exceeded("3"), exceeded("3")],
    });
    const e = (await run(ctx).catch((x: unknown) => x)) as NodeApiError;
    expect(sleeps).toEqual([3000]);
    expect(sent).toHaveLength(2);
    expect(e).toBeInstanceOf(NodeApiError);
    expect(e.message).toMatch(
      /^Quota exceeded \(429 quota_exceeded\): This ad account's Meta API budget .* \[quota_exceeded, HTTP 429, request rq\]$/,
    );
    expect(e.description).toContain("beyond the node's Max Wait of 5 s (3 s waited already)");
    expect(e.description).toContain("Retry-After: 3 s");
  });

  it("fails the item at once when told to, without waiting", async () => {
    const { ctx, sent } = context({
      items: [{}],
      params: params({ onExceeded: "fail" }),
      answers: [exceeded("3600")],
      continueOnFail: true,
    });
    const [out] = await run(ctx);
    expect(sleeps).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(out?.[0]?.json).toMatchObject({ code: "quota_exceeded", httpCode: 429, retryAfter: 3600, requestId: "rq" });
    expect(String(out?.[0]?.json.error)).toMatch(/^Quota exceeded \(429/);
  });

  it("other errors are not waited for", async () => {
    const { ctx } = context({
      items: [{}],
      params: params({ onExceeded: "wait" }),
      answers: [
        {
          statusCode: 503,
          headers: { "retry-after": "5" },
          body: envelope("unavailable", "The quota service is unavailable; try again shortly."),
        },
      ],
    });
    const e = (await run(ctx).catch((x: unknown) => x)) as NodeApiError;
    expect(sleeps).toEqual([]);
    expect(e.message).toBe("The quota service is unavailable; try again shortly. [unavailable, HTTP 503, request req_123]");
  });
});
