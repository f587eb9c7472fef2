// The n8n workflows shipped in examples/n8n/ are importable (`n8n import:workflow`) and follow the
// project's conventions: one credential, the base URL from $env, the ids n8n knows, documented routes.
// The node-*.json ones use the community node (integrations/n8n-nodes-automation-platform) instead of
// HTTP Request nodes: its credential carries the base URL, and each resource/operation is one route.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { call } from "../support/api.js";
import { bearer, createApiKey, createTenant } from "../support/fixtures.js";
import { createN8nWorkflow, n8nExecutionId } from "../support/n8n-fixtures.js";

const DIR = join(import.meta.dirname, "../../examples/n8n");
const FILES = readdirSync(DIR).filter((f) => f.endsWith(".json"));
const BASE = "={{ $env.AUTOMATION_API_URL }}";
const PLATFORM_NODE = "n8n-nodes-automation-platform.automationPlatform";
const PLATFORM_CREDENTIAL = { automationPlatformApi: { id: "automationPlatformKey", name: "Automation Platform API" } };
/** The route each resource/operation of the node calls (integrations/…/nodes/AutomationPlatform/requests.ts). */
const NODE_ROUTES: Record<string, string> = {
  "execution.report": "/v1/webhooks/n8n/executions",
  "quota.acquire": "/v1/ad-accounts/{id}/quota/acquire",
  "quota.reportUsage": "/v1/ad-accounts/{id}/quota/usage",
  "adAccount.getCredentials": "/v1/ad-accounts/{id}/credentials",
  "report.create": "/v1/reports",
  "report.recordDelivery": "/v1/reports/{id}/delivery",
};

interface N8nNode {
  id: string;
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
  parameters: Record<string, unknown>;
  credentials?: Record<string, { id: string; name: string }>;
}
interface N8nWorkflow {
  id?: string;
  name: string;
  nodes: N8nNode[];
  connections: Record<string, Record<string, { node: string; type: string; index: number }[][]>>;
  settings?: { errorWorkflow?: string };
}

/** The nodes from the Manual Trigger along each node's first main output. */
function chainFromTrigger(w: N8nWorkflow): N8nNode[] {
  const order: N8nNode[] = [];
  let current = w.nodes.find((n) => n.type === "n8n-nodes-base.manualTrigger");
  while (current) {
    order.push(current);
    const next = w.connections[current.name]?.main?.[0]?.[0]?.node;
    current = w.nodes.find((n) => n.name === next);
  }
  return order;
}

const load = (file: string) => JSON.parse(readFileSync(join(DIR, file), "utf8")) as N8nWorkflow;
const httpNodes = (w: N8nWorkflow) => w.nodes.filter((n) => n.type === "n8n-nodes-base.httpRequest");
const platformNodes = (w: N8nWorkflow) => w.nodes.filter((n) => n.type === PLATFORM_NODE);
const operationOf = (n: N8nNode) => `${n.parameters.resource}.${n.parameters.operation}`;

let documented: Set<string>;
beforeAll(async () => {
  const doc = await call("/openapi.json");
  documented = new Set(Object.keys(doc.body.paths as object));
});

describe("examples/n8n", () => {
  it("ships the execution reporter and the Error workflow", () => {
    expect(FILES).toEqual(expect.arrayContaining(["report-execution.json", "error-reporter.json"]));
  });

  describe.each(FILES)("%s", (file) => {
    const w = load(file);

    it("is an n8n workflow: named, with nodes and connections between existing nodes", () => {
      expect(typeof w.name).toBe("string");
      expect(w.id === undefined || /^[A-Za-z0-9]{1,16}$/.test(w.id), `id ${w.id}`).toBe(true);
      expect(w.nodes.length).toBeGreaterThan(1);
      const names = new Set(w.nodes.map((n) => n.name));
      expect(names.size).toBe(w.nodes.length);
      expect(new Set(w.nodes.map((n) => n.id)).size).toBe(w.nodes.length);
      for (const n of w.nodes) {
        if (n.type !== PLATFORM_NODE) expect(n.type, n.name).toMatch(/^n8n-nodes-base\.[A-Za-z]+$/);
        expect(typeof n.typeVersion).toBe("number");
        expect(n.position).toHaveLength(2);
        expect(typeof n.parameters).toBe("object");
      }
      for (const [source, outputs] of Object.entries(w.connections)) {
        expect(names.has(source), source).toBe(true);
        for (const target of Object.values(outputs).flat(2)) expect(names.has(target.node), target.node).toBe(true);
      }
      // Every node but the trigger is reached.
      const reached = new Set(
        Object.values(w.connections).flatMap((o) =>
          Object.values(o)
            .flat(2)
            .map((t) => t.node),
        ),
      );
      expect(w.nodes.filter((n) => !reached.has(n.name)).map((n) => n.type)).toEqual([expect.stringMatching(/Trigger$/)]);
    });

    it("calls only documented routes, under $env.AUTOMATION_API_URL, with the one Header Auth credential", () => {
      if (file.startsWith("node-")) return; // the node-based versions: checked below
      expect(httpNodes(w).length).toBeGreaterThan(0);
      for (const n of httpNodes(w)) {
        const url = String(n.parameters.url);
        expect(url.startsWith(`${BASE}/v1/`), url).toBe(true);
        expect(documented.has(url.slice(BASE.length)), url).toBe(true);
        expect(n.parameters).toMatchObject({ method: "POST", authentication: "genericCredentialType", genericAuthType: "httpHeaderAuth" });
      }
      // The signed variant uses a key created with requireSignature, in a credential of its own.
      const credential = file.endsWith("-signed.json")
        ? { id: "automationSigningKey", name: "Automation API signing key" }
        : { id: "automationApiKey", name: "Automation API key" };
      for (const n of w.nodes.filter((x) => x.credentials)) {
        expect(n.credentials).toEqual({ httpHeaderAuth: credential });
      }
    });

    if (file.startsWith("node-")) {
      it("uses the Automation Platform node, with its one credential, for documented routes only", () => {
        expect(httpNodes(w)).toEqual([]);
        expect(platformNodes(w).length).toBeGreaterThan(0);
        for (const n of platformNodes(w)) {
          const route = NODE_ROUTES[operationOf(n)];
          expect(route, `${n.name}: ${operationOf(n)}`).toBeDefined();
          expect(documented.has(route!), route).toBe(true);
          expect(n.credentials, n.name).toEqual(PLATFORM_CREDENTIAL);
        }
        for (const n of w.nodes.filter((x) => x.credentials)) expect(n.type).toBe(PLATFORM_NODE);
      });

      it("reports the running execution of this workflow by default (no executionId/n8nWorkflowId override)", () => {
        const reports = platformNodes(w).filter((n) => operationOf(n) === "execution.report");
        if (w.nodes[0]?.type === "n8n-nodes-base.errorTrigger") {
          // The Error workflow reports the failed execution it was given, not itself.
          for (const n of reports) {
            expect(String(n.parameters.executionId)).toContain("$json.execution");
            expect(n.parameters.n8nWorkflowId).toBe("={{ $json.workflow.id }}");
          }
          return;
        }
        for (const n of reports) {
          expect(n.parameters.executionId ?? "={{ $execution.id }}", n.name).toBe("={{ $execution.id }}");
          expect(n.parameters.n8nWorkflowId ?? "={{ $workflow.id }}", n.name).toBe("={{ $workflow.id }}");
          expect(n.parameters.workflowBy ?? "n8nWorkflowId", n.name).toBe("n8nWorkflowId");
        }
      });
    }

    it("names the execution and workflow as n8n knows them", () => {
      for (const n of httpNodes(w).filter((x) => String(x.parameters.url).endsWith("/v1/webhooks/n8n/executions"))) {
        if (n.parameters.contentType === "raw") continue; // signed: the body is built in a Code node (below)
        const body = String(n.parameters.jsonBody);
        expect(body).toContain('"executionId": "{{ $execution.id }}"');
        expect(body).toContain('"n8nWorkflowId": "{{ $workflow.id }}"');
      }
    });

    if (w.settings?.errorWorkflow) {
      it("names a shipped Error workflow", () => {
        expect(FILES.map(load).some((x) => x.id === w.settings?.errorWorkflow)).toBe(true);
      });
    }
  });

  it("report-execution.json starts from a Manual Trigger, reports running, works, then reports success with output", () => {
    const w = load("report-execution.json");
    const order = chainFromTrigger(w);
    expect(order.map((n) => n.type)).toEqual([
      "n8n-nodes-base.manualTrigger",
      "n8n-nodes-base.httpRequest",
      "n8n-nodes-base.code",
      "n8n-nodes-base.httpRequest",
    ]);
    expect(String(order[1]!.parameters.jsonBody)).toContain('"status": "running"');
    expect(String(order[3]!.parameters.jsonBody)).toContain('"status": "success"');
    expect(String(order[3]!.parameters.jsonBody)).toContain('"output":');
  });

  it("report-execution-signed.json signs the exact text it sends, as the API checks it (run against the API)", async () => {
    const w = load("report-execution-signed.json");
    const byType = (type: string) => w.nodes.find((n) => n.type === type)!;
    const code = byType("n8n-nodes-base.code");
    const crypto = byType("n8n-nodes-base.crypto");
    const http = byType("n8n-nodes-base.httpRequest");
    expect(crypto.parameters).toMatchObject({
      action: "hmac",
      type: "SHA256",
      encoding: "hex",
      value: "={{ $json.timestamp }}.{{ $json.body }}",
      secret: "={{ $env.AUTOMATION_SIGNING_SECRET }}",
    });
    expect(http.parameters).toMatchObject({
      sendBody: true,
      contentType: "raw",
      rawContentType: "application/json",
      body: "={{ $json.body }}",
    });
    expect(http.parameters.headerParameters).toEqual({
      parameters: [
        { name: "X-Timestamp", value: "={{ $json.timestamp }}" },
        { name: "X-Signature", value: "={{ $json.signature }}" },
      ],
    });
    // What n8n does: the Code node's item, the Crypto node's HMAC over `<timestamp>.<body>`, the raw POST.
    const tenant = await createTenant();
    const workflow = await createN8nWorkflow(tenant.clientId, tenant.admin.id);
    const key = await createApiKey(tenant.clientId, ["executions:write"], { signed: true });
    const $execution = { id: n8nExecutionId(), mode: "manual" };
    const run = new Function("$execution", "$workflow", String(code.parameters.jsCode)) as (
      e: unknown,
      w: unknown,
    ) => { json: { body: string; timestamp: string } }[];
    const [item] = run($execution, { id: workflow.n8nWorkflowId });
    const signature = createHmac("sha256", key.signingSecret!).update(`${item!.json.timestamp}.${item!.json.body}`).digest("hex");
    const res = await call("/v1/webhooks/n8n/executions", {
      method: "POST",
      headers: { ...bearer(key.key), "content-type": "application/json", "X-Timestamp": item!.json.timestamp, "X-Signature": signature },
      body: item!.json.body,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.data).toMatchObject({ n8nExecutionId: $execution.id, status: "SUCCESS", output: { campaigns: 12 } });
  });

  it("node-report-execution.json: Manual Trigger, report running, work, report success with the work as output", () => {
    const w = load("node-report-execution.json");
    const order = chainFromTrigger(w);
    expect(order.map((n) => n.type)).toEqual(["n8n-nodes-base.manualTrigger", PLATFORM_NODE, "n8n-nodes-base.code", PLATFORM_NODE]);
    expect(order[1]!.parameters).toMatchObject({ resource: "execution", operation: "report", status: "running" });
    expect(order[3]!.parameters).toMatchObject({ resource: "execution", operation: "report", status: "success" });
    // For success the node sends the incoming item as `output` unless told otherwise.
    expect(order[3]!.parameters.sendItemAs ?? "output").toBe("output");
  });

  it("the node credential file points at $env.AUTOMATION_API_URL with the id and name the examples use", () => {
    const creds = JSON.parse(readFileSync(join(DIR, "credentials/automation-platform-api.json"), "utf8"));
    expect(creds).toEqual([
      {
        id: PLATFORM_CREDENTIAL.automationPlatformApi.id,
        name: PLATFORM_CREDENTIAL.automationPlatformApi.name,
        type: "automationPlatformApi",
        data: { baseUrl: BASE, apiKey: expect.stringMatching(/^apk_/) },
      },
    ]);
  });

  it("node-error-reporter.json reports the failed execution as error, its error and the whole payload", () => {
    const w = load("node-error-reporter.json");
    expect(w.nodes.map((n) => n.type)).toEqual(["n8n-nodes-base.errorTrigger", PLATFORM_NODE]);
    expect(w.nodes[1]!.parameters).toMatchObject({ resource: "execution", operation: "report", status: "error", sendItemAs: "logs" });
  });

  it("error-reporter.json forwards the Error Trigger's output as is", () => {
    const w = load("error-reporter.json");
    expect(w.nodes.map((n) => n.type)).toEqual(["n8n-nodes-base.errorTrigger", "n8n-nodes-base.httpRequest"]);
    expect(httpNodes(w)[0]!.parameters).toMatchObject({ url: `${BASE}/v1/webhooks/n8n/error`, jsonBody: "={{ JSON.stringify($json) }}" });
  });
});
