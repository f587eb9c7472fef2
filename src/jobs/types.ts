// What every scheduled job shares: its signature, the clock and limits it is given, and the shape of
// what it reports. A job is a plain function of (db, clock, limits, run): the cron handler and the
// admin route call the same function, and tests control time through the clock.
import type { Database } from "../db/client.js";
import type { QuotaStore } from "../quota/limiter.js";

export const JOB_NAMES = ["retention", "stuck-executions", "token-expiry", "quota-sync"] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const isJobName = (name: string): name is JobName => (JOB_NAMES as readonly string[]).includes(name);

/** The instant a job acts as of (UTC). Production: the real time; tests and the bench: a fixed instant. */
export type Clock = () => Date;

export interface JobLimits {
  /** Wall-clock time a run may spend; it stops before a round trip that would overrun it. */
  timeBudgetMs: number;
  /** SQL-over-HTTP round trips (Worker subrequests) a run may make. */
  subrequestBudget: number;
  /** Rows changed by one statement, at most 1,000. */
  batchSize: number;
}

export interface JobRun {
  /** Report what would change, change nothing. */
  dryRun: boolean;
  /** Only this tenant (the admin route's ?clientId=); null = every tenant. */
  clientId: string | null;
  /** For the cross-tenant audit line: which request or cron event, and who. */
  requestId: string;
  actor: string;
  /** Whether the quota service (Upstash) is configured. */
  quotaConfigured: boolean;
  /** The quota limiter (quota-sync reads it); absent when Upstash is not configured. */
  quota?: { store: QuotaStore; windowSeconds: number };
}

export interface ExpiringAccount {
  id: string;
  metaAdAccountId: string;
  clientId: string;
  tokenExpiresAt: string;
}

export interface JobOutcome {
  /** False when the job could not run here (quota-sync without its service); `reason` says why. */
  available: boolean;
  reason: string | null;
  tenantsTouched: number;
  /** Rows changed, or in a dry run the rows that would change. */
  rowsChanged: number;
  /** Statements that changed rows (0 in a dry run). */
  batches: number;
  subrequests: number;
  /** The slowest SQL round trip of the run. */
  slowestRoundTripMs: number;
  /** True when the run stopped on its time or subrequest budget with work left: the next run resumes. */
  stoppedOnBudget: boolean;
  /** token-expiry: accounts disconnected by this run (in a dry run: that would be). */
  disconnected?: ExpiringAccount[];
  /** token-expiry: accounts whose token expires within 7 days. */
  expiring?: ExpiringAccount[];
}

export type Job = (db: Database, clock: Clock, limits: JobLimits, run: JobRun) => Promise<JobOutcome>;

export interface JobResult extends JobOutcome {
  job: JobName;
  dryRun: boolean;
  clientId: string | null;
  /** The clock's instant the job acted as of. */
  now: string;
  durationMs: number;
}
