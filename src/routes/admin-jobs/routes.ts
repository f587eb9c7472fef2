import { securedRoute } from "../../http/route.js";
import { dataOf } from "../../http/schemas.js";
import { JobNameParam, JobResultSchema, RunJobQuery } from "./schema.js";

export const runJobRoute = securedRoute("jobs.run", {
  method: "post",
  path: "/v1/admin/jobs/{name}/run",
  tags: ["Operations"],
  summary: "Run a scheduled job now (retention, stuck-executions, token-expiry, quota-sync)",
  description:
    "Runs the same function as the cron trigger, synchronously, within the same time and subrequest budget, and answers what it did. " +
    "No body. `?dryRun=true` reports what would change without changing anything; `?clientId=` limits the run to one tenant.",
  request: { params: JobNameParam, query: RunJobQuery },
  responses: {
    200: { description: "What the job did (or would do).", content: { "application/json": { schema: dataOf(JobResultSchema) } } },
  },
  errors: [404],
});
