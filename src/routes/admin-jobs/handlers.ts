import { config } from "../../http/context.js";
import { handle } from "../../http/route.js";
import { isJobName, jobDatabase, jobSettings, JOB_NAMES, runJob } from "../../jobs/index.js";
import { notFound } from "../../lib/errors.js";
import { runJobRoute } from "./routes.js";
import { toJobResult } from "./schema.js";

export const run = handle(runJobRoute, async (c, { principal, tenantId }) => {
  const { name } = c.req.valid("param");
  const { dryRun } = c.req.valid("query");
  if (!isJobName(name)) throw notFound(`No job named ${name}: one of ${JOB_NAMES.join(", ")}.`);
  const settings = jobSettings(c.env ?? {});
  // Not crossTenantDatabase(c): a run makes many round trips, so its connection gets the run's budget as timeout.
  const db = jobDatabase(config(c), settings, c.get("requestId"));
  const result = await runJob(
    name,
    db,
    settings,
    {
      trigger: "http",
      dryRun: dryRun === "true",
      clientId: tenantId,
      requestId: c.get("requestId"),
      actor: principal.userId,
    },
    config(c),
  );
  c.get("log").set({ job: name, jobRowsChanged: result.rowsChanged, jobStoppedOnBudget: result.stoppedOnBudget });
  return c.json({ data: toJobResult(result) }, 200);
});
