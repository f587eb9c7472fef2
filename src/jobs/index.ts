// The scheduled jobs: which exist, which cron expression runs which, and one runner that the cron
// handler and POST /v1/admin/jobs/{name}/run share (one structured log line per run).
import { createCrossTenantDatabase, type Database } from "../db/client.js";
import { loadConfig, type Bindings, type Config } from "../env.js";
import { describeError, writeLog } from "../lib/log.js";
import { quotaStore } from "../quota/limiter.js";
import { quotaSync } from "./quota-sync.js";
import { retention } from "./retention.js";
import { jobSettings, type JobSettings } from "./settings.js";
import { stuckExecutions } from "./stuck-executions.js";
import { tokenExpiry } from "./token-expiry.js";
import type { Job, JobName, JobResult, JobRun } from "./types.js";

export { JOB_NAMES, isJobName, type JobName, type JobResult } from "./types.js";
export { jobSettings } from "./settings.js";

export const JOBS: Record<JobName, Job> = {
  retention,
  "stuck-executions": stuckExecutions,
  "token-expiry": tokenExpiry,
  "quota-sync": quotaSync,
};

/**
 * Which jobs each cron expression of wrangler.toml runs (keep both in step; README "Scheduled jobs").
 * Retention runs hourly, not more often, so its invocation gets the long (15-minute) CPU limit.
 */
export const CRON_JOBS: Record<string, readonly JobName[]> = {
  "5 * * * *": ["retention", "token-expiry"],
  "*/15 * * * *": ["stuck-executions", "quota-sync"],
};

/**
 * The cross-tenant connection a run uses. The driver's timeout covers the connection's whole life
 * (one AbortSignal), which for a request is one round trip but for a run is many: it gets the run's
 * time budget plus one statement's usual timeout, so only a statement that overruns the budget aborts.
 */
export function jobDatabase(config: Config, settings: JobSettings, requestId: string): Database {
  return createCrossTenantDatabase(config, { requestId, timeoutMs: settings.limits.timeBudgetMs + config.DB_TIMEOUT_MS });
}

/** Runs one job and writes its log line; `config` gives quota-sync the limiter (optional elsewhere). */
export async function runJob(
  name: JobName,
  db: Database,
  settings: JobSettings,
  run: Omit<JobRun, "quotaConfigured" | "quota"> & { trigger: "cron" | "http"; cron?: string },
  config?: Config,
): Promise<JobResult> {
  const started = Date.now();
  const now = settings.clock();
  const { trigger, cron, ...jobRun } = run;
  const base = { job: name, trigger, ...(cron ? { cron } : {}), dryRun: run.dryRun, clientId: run.clientId, requestId: run.requestId };
  try {
    const quota =
      config && settings.quotaConfigured ? { store: quotaStore(config), windowSeconds: config.META_API_RATE_WINDOW } : undefined;
    const outcome = await JOBS[name](db, () => now, settings.limits, {
      ...jobRun,
      quotaConfigured: settings.quotaConfigured,
      ...(quota ? { quota } : {}),
    });
    const result: JobResult = {
      job: name,
      dryRun: run.dryRun,
      clientId: run.clientId,
      now: now.toISOString(),
      durationMs: Date.now() - started,
      ...outcome,
    };
    writeLog(outcome.available ? "info" : "warn", "job_run", {
      ...base,
      available: outcome.available,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      tenantsTouched: outcome.tenantsTouched,
      rowsChanged: outcome.rowsChanged,
      batches: outcome.batches,
      subrequests: outcome.subrequests,
      slowestRoundTripMs: outcome.slowestRoundTripMs,
      durationMs: result.durationMs,
      stoppedOnBudget: outcome.stoppedOnBudget,
      ...(outcome.disconnected
        ? { disconnected: outcome.disconnected.map((a) => ({ id: a.id, metaAdAccountId: a.metaAdAccountId })) }
        : {}),
      ...(outcome.expiring
        ? { expiring: outcome.expiring.map((a) => ({ id: a.id, metaAdAccountId: a.metaAdAccountId, tokenExpiresAt: a.tokenExpiresAt })) }
        : {}),
    });
    return result;
  } catch (err) {
    writeLog("error", "job_failed", { ...base, durationMs: Date.now() - started, error: describeError(err) });
    throw err;
  }
}

/** The Worker's `scheduled` handler: runs every job of the fired cron expression, one after another. */
export async function runScheduled(controller: { cron: string; scheduledTime: number }, env: Bindings): Promise<void> {
  const names = CRON_JOBS[controller.cron];
  if (!names) {
    writeLog("warn", "job_unknown_cron", { cron: controller.cron });
    return;
  }
  const settings = jobSettings(env);
  const requestId = `cron-${controller.scheduledTime}-${crypto.randomUUID().slice(0, 8)}`;
  const cfg = loadConfig(env);
  const db = jobDatabase(cfg, settings, requestId);
  const failed: JobName[] = [];
  for (const name of names) {
    // A failing job is logged by runJob and does not keep the others from running.
    await runJob(
      name,
      db,
      settings,
      {
        trigger: "cron",
        cron: controller.cron,
        dryRun: false,
        clientId: null,
        requestId,
        actor: `cron ${controller.cron}`,
      },
      cfg,
    ).catch(() => failed.push(name));
  }
  if (failed.length) throw new Error(`scheduled jobs failed: ${failed.join(", ")}`);
}
