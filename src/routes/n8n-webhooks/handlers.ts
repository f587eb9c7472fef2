import { database } from "../../http/context.js";
import { handle } from "../../http/route.js";
import { ingestExecution, type Ingestion } from "../../executions/ingest.js";
import { reportExecution, reportExecutionError } from "./routes.js";
import { executionStatusOf, toIngestedExecution, type ErrorTriggerPayload, type N8nError } from "./schema.js";

export const recordExecution = handle(reportExecution, async (c, { scope }) => {
  const body = c.req.valid("json");
  const ingestion: Ingestion = {
    n8nExecutionId: String(body.executionId),
    workflow: { id: body.workflowId, n8nId: body.n8nWorkflowId === undefined ? undefined : String(body.n8nWorkflowId) },
    status: executionStatusOf(body.status),
    startedAt: body.startedAt,
    stoppedAt: body.stoppedAt,
    input: body.input,
    output: body.output,
    error: body.error,
    logs: body.logs,
    apiCallsUsed: body.apiCallsUsed,
    dataProcessed: body.dataProcessed,
    adAccount:
      body.adAccountId !== undefined || body.metaAdAccountId !== undefined
        ? { id: body.adAccountId, metaId: body.metaAdAccountId }
        : undefined,
    report: body.report,
  };
  c.get("log").set({
    webhook: { source: "n8n", executionId: ingestion.n8nExecutionId, status: body.status, mode: body.mode, retryOf: body.retryOf },
  });
  const result = await ingestExecution(database(c), scope, ingestion);
  c.get("log").set({ webhookOutcome: result.created ? "created" : "known execution", executionLogId: result.execution.id });
  const data = toIngestedExecution(result.execution, result.reportId);
  return result.created ? c.json({ data }, 201) : c.json({ data }, 200);
});

export const recordExecutionError = handle(reportExecutionError, async (c, { scope }) => {
  const payload = c.req.valid("json");
  const raw = await c.req.text();
  const ingestion: Ingestion = {
    n8nExecutionId: await idempotencyKey(payload, raw),
    workflow: { n8nId: String(payload.workflow.id) },
    status: "FAILED",
    error: failure(payload),
    // Everything n8n sent, as it sent it (the body already parsed as JSON).
    logs: JSON.parse(raw) as unknown,
  };
  c.get("log").set({ webhook: { source: "n8n-error", executionId: ingestion.n8nExecutionId } });
  const result = await ingestExecution(database(c), scope, ingestion);
  c.get("log").set({ webhookOutcome: result.created ? "created" : "known execution", executionLogId: result.execution.id });
  const data = toIngestedExecution(result.execution, result.reportId);
  return result.created ? c.json({ data }, 201) : c.json({ data }, 200);
});

/**
 * The execution's id; a failed trigger saved no execution, so its key is the workflow and the
 * error's timestamp (else a hash of the body): n8n resending the same failure stays one record.
 */
async function idempotencyKey(p: ErrorTriggerPayload, raw: string): Promise<string> {
  if (p.execution) return String(p.execution.id);
  const stamp = p.trigger?.error?.timestamp;
  return `trigger:${String(p.workflow.id)}:${stamp !== undefined ? String(stamp) : await sha256Hex(raw)}`;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The stored error: every field n8n sent, plus a message it may have left out (a serialized Error loses it). */
function failure(p: ErrorTriggerPayload): Record<string, unknown> {
  const source = p.execution ?? p.trigger;
  const error: N8nError = source?.error ?? {};
  const lastNode = p.execution?.lastNodeExecuted ?? error.node?.name ?? null;
  const message =
    error.message ||
    error.description ||
    `${error.name ?? "Error"} in ${lastNode ? `node "${lastNode}"` : `workflow "${p.workflow.name ?? p.workflow.id}"`}`;
  return {
    ...error,
    message,
    stack: error.stack ?? null,
    lastNodeExecuted: lastNode,
    mode: source?.mode ?? null,
    ...(p.execution ? { url: p.execution.url ?? null, retryOf: p.execution.retryOf ?? null } : { trigger: true }),
  };
}
