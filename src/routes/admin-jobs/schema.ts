import { z } from "@hono/zod-openapi";
import { JOB_NAMES, type JobResult } from "../../jobs/index.js";
import { Timestamp } from "../../http/schemas.js";

export const JobNameParam = z.object({
  // A plain string, not an enum: an unknown job is a 404 (no such resource), not a 400.
  name: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { in: "path" }, description: `One of ${JOB_NAMES.join(", ")}.`, example: "retention" }),
});

export const RunJobQuery = z.object({
  dryRun: z
    .enum(["true", "false"], { error: "must be true or false" })
    .optional()
    .openapi({ param: { in: "query" }, description: "`true`: report what the job would do, change nothing.", example: "true" }),
});

const Account = z.object({
  id: z.string(),
  metaAdAccountId: z.string(),
  clientId: z.string(),
  tokenExpiresAt: Timestamp,
});

export const JobResultSchema = z
  .object({
    job: z.enum(JOB_NAMES),
    dryRun: z.boolean(),
    clientId: z
      .string()
      .nullable()
      .openapi({ description: "The one tenant the run was limited to (?clientId=), else null: every tenant." }),
    now: Timestamp.openapi({ description: "The instant the job acted as of (UTC)." }),
    available: z.boolean().openapi({ description: "False when the job cannot run in this deployment; `reason` says why." }),
    reason: z.string().nullable(),
    tenantsTouched: z.number().int(),
    rowsChanged: z.number().int().openapi({ description: "Rows changed, or in a dry run the rows that would change." }),
    batches: z.number().int().openapi({ description: "Bounded statements (≤ 1,000 rows each) that changed rows." }),
    subrequests: z.number().int(),
    slowestRoundTripMs: z.number().int().openapi({ description: "The slowest SQL round trip (one bounded statement) of the run." }),
    durationMs: z.number().int(),
    stoppedOnBudget: z
      .boolean()
      .openapi({ description: "The run stopped on its time or subrequest budget with work left; the next run resumes." }),
    disconnected: z.array(Account).optional().openapi({ description: "token-expiry: accounts disconnected (or, in a dry run, to be)." }),
    expiring: z.array(Account).optional().openapi({ description: "token-expiry: accounts whose token expires within 7 days." }),
  })
  .openapi("JobResult", {
    example: {
      job: "retention",
      dryRun: false,
      clientId: null,
      now: "2026-11-26T10:05:00.000Z",
      available: true,
      reason: null,
      tenantsTouched: 3,
      rowsChanged: 2450,
      batches: 3,
      subrequests: 3,
      slowestRoundTripMs: 161,
      durationMs: 412,
      stoppedOnBudget: false,
    },
  });

export function toJobResult(result: JobResult): z.infer<typeof JobResultSchema> {
  return JobResultSchema.parse(result);
}
