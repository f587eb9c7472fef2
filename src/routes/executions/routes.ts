import { securedRoute } from "../../http/route.js";
import { IdParam, dataOf, listOf } from "../../http/schemas.js";
import { ExecutionSchema, ExecutionSummarySchema, ListExecutionsQuery } from "./schema.js";

export const listExecutions = securedRoute("executions.list", {
  method: "get",
  path: "/v1/executions",
  tags: ["Executions"],
  summary: "List the client's executions (newest first by startedAt)",
  description:
    "Ordered by `startedAt` descending, the id breaking ties; the cursor is stable while new executions arrive. " +
    "`since` is inclusive and `until` exclusive, both on `startedAt`. " +
    "List items leave out the heavy JSON columns (`input`, `output`, `error`, `logs`): read one execution for them.",
  request: { query: ListExecutionsQuery },
  responses: {
    200: {
      description: "A page of executions, without input/output/error/logs.",
      content: { "application/json": { schema: listOf(ExecutionSummarySchema) } },
    },
  },
});

export const getExecution = securedRoute("executions.read", {
  method: "get",
  path: "/v1/executions/{id}",
  tags: ["Executions"],
  summary: "One execution, with its input, output, error and logs",
  request: { params: IdParam },
  responses: {
    200: {
      description: "The execution; the JSON columns as stored.",
      content: { "application/json": { schema: dataOf(ExecutionSchema) } },
    },
  },
});
