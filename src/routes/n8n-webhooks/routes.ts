import { securedRoute } from "../../http/route.js";
import { ErrorTriggerPayload, ExecutionReport, IngestedExecutionData } from "./schema.js";

const recorded = {
  201: { description: "First report of this execution: recorded.", content: { "application/json": { schema: IngestedExecutionData } } },
  200: {
    description: "This execution was already known: the stored execution, after any forward-only change.",
    content: { "application/json": { schema: IngestedExecutionData } },
  },
};

export const reportExecution = securedRoute("executions.ingest", {
  method: "post",
  path: "/v1/webhooks/n8n/executions",
  tags: ["Webhooks"],
  summary: "n8n reports an execution (idempotent per executionId; status moves forward only)",
  description:
    "Bearer API key with `executions:write`. Idempotent per (client, `executionId`): 201 the first time, 200 with the stored " +
    "execution on every repeat, so n8n's Retry On Fail is safe. Status moves forward only: RUNNING → a terminal status, and the " +
    "first terminal status stands; a later report only fills fields still empty (the one that ends the execution replaces " +
    "`input`/`output`/`error`/`logs` it carries). `duration` runs from the earliest known `startedAt` to `stoppedAt` (else the " +
    "time the ending was received). The workflow is found by `workflowId` or `n8nWorkflowId` within the key's client (unknown → 404); " +
    "an attached `report` is created once, linked to the execution, and owned by the workflow's creator. Bodies up to 5 MiB.",
  request: { body: { required: true, content: { "application/json": { schema: ExecutionReport } } } },
  responses: recorded,
  errors: [404],
});

export const reportExecutionError = securedRoute("executions.ingest", {
  method: "post",
  path: "/v1/webhooks/n8n/error",
  tags: ["Webhooks"],
  summary: "n8n Error Trigger payload, forwarded as is: records a FAILED execution",
  description:
    "Bearer API key with `executions:write`. The body is what an Error Trigger outputs (`{{ JSON.stringify($json) }}`), in " +
    "either shape: `execution` (keyed by `execution.id`, like /executions) or `trigger` (no execution was saved; keyed by the " +
    "workflow and `trigger.error.timestamp`, else a hash of the body). The execution is FAILED with `error` = the message " +
    "(`message`, else `description`, else the error's and node's names), `stack`, `lastNodeExecuted`, `mode` and every other " +
    "field n8n sent; `logs` keeps the whole payload. The workflow is `workflow.id` as n8n's id (unknown → 404).",
  request: { body: { required: true, content: { "application/json": { schema: ErrorTriggerPayload } } } },
  responses: recorded,
  errors: [404],
});
