// The jobs' own settings, read from the Worker's bindings (all optional):
//   JOBS_TIME_BUDGET_MS      wall-clock budget of one run (default 20000)
//   JOBS_SUBREQUEST_BUDGET   SQL round trips per run (default 40: under the Workers Free plan's 50
//                            subrequests per invocation, with room for the audit and log)
//   JOBS_BATCH_SIZE          rows per statement (default and maximum 1000)
//   JOBS_CLOCK               TEST/BENCH ONLY: an ISO instant the jobs act as of instead of the real
//                            time. Honoured only when set, and only if it is not in the future (a
//                            clock ahead of real time could delete rows that are not yet expired).
import { z } from "zod";
import type { Bindings } from "../env.js";
import type { Clock, JobLimits } from "./types.js";

export const MAX_BATCH_SIZE = 1000;

const whole = (fallback: number, max?: number) => {
  const n = z.coerce.number().int().positive();
  return (max ? n.max(max) : n).default(fallback);
};

const jobSettingsSchema = z.object({
  JOBS_TIME_BUDGET_MS: whole(20_000),
  JOBS_SUBREQUEST_BUDGET: whole(40),
  JOBS_BATCH_SIZE: whole(MAX_BATCH_SIZE, MAX_BATCH_SIZE),
  JOBS_CLOCK: z.iso.datetime({ offset: true }).optional(),
});

export interface JobSettings {
  limits: JobLimits;
  clock: Clock;
  quotaConfigured: boolean;
}

export function jobSettings(bindings: Bindings): JobSettings {
  const present = Object.fromEntries(Object.entries(bindings).filter(([, v]) => v !== ""));
  const s = jobSettingsSchema.parse(present);
  const fixed = s.JOBS_CLOCK ? new Date(s.JOBS_CLOCK) : undefined;
  if (fixed && fixed.getTime() > Date.now()) throw new Error("JOBS_CLOCK must not be in the future");
  return {
    limits: { timeBudgetMs: s.JOBS_TIME_BUDGET_MS, subrequestBudget: s.JOBS_SUBREQUEST_BUDGET, batchSize: s.JOBS_BATCH_SIZE },
    clock: fixed ? () => fixed : () => new Date(),
    quotaConfigured: Boolean(present.UPSTASH_REDIS_REST_URL && present.UPSTASH_REDIS_REST_TOKEN),
  };
}
