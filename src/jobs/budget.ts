// A run's time and subrequest budget. A Worker invocation has a subrequest cap and a cron
// invocation a CPU/wall limit; a job stops *before* a round trip that would exceed either, and
// the next trigger resumes where it stopped (every batch is its own committed transaction).
import type { JobLimits, JobOutcome } from "./types.js";

export class Budget {
  private readonly started = Date.now();
  private subrequests = 0;
  private slowestMs = 0;

  constructor(private readonly limits: JobLimits) {}

  /** The first round trip is always allowed, so every run makes progress. */
  allows(): boolean {
    if (this.subrequests === 0) return true;
    if (this.subrequests >= this.limits.subrequestBudget) return false;
    return Date.now() - this.started + this.slowestMs <= this.limits.timeBudgetMs;
  }

  /** Runs one round trip and counts it. */
  async spend<T>(roundTrip: () => Promise<T>): Promise<T> {
    const before = Date.now();
    this.subrequests++;
    try {
      return await roundTrip();
    } finally {
      this.slowestMs = Math.max(this.slowestMs, Date.now() - before);
    }
  }

  /** Round trips made, and the slowest of them (a bounded statement must stay short). */
  report(): { subrequests: number; slowestRoundTripMs: number } {
    return { subrequests: this.subrequests, slowestRoundTripMs: this.slowestMs };
  }
}

/** Per-tenant row counts one statement returns. */
export interface TenantRows {
  clientId: string;
  rows: number;
}

export interface Drained {
  rows: number;
  tenants: Set<string>;
  batches: number;
  stoppedOnBudget: boolean;
}

/**
 * Repeats a bounded statement while it comes back full (a full batch means more may remain),
 * within the budget.
 */
export async function drain(budget: Budget, batchSize: number, statement: () => Promise<TenantRows[]>): Promise<Drained> {
  const drained: Drained = { rows: 0, tenants: new Set(), batches: 0, stoppedOnBudget: false };
  for (;;) {
    if (!budget.allows()) {
      drained.stoppedOnBudget = true;
      return drained;
    }
    const counts = await budget.spend(statement);
    drained.batches++;
    let rows = 0;
    for (const c of counts) {
      rows += c.rows;
      drained.tenants.add(c.clientId);
    }
    drained.rows += rows;
    if (rows < batchSize) return drained;
  }
}

/** What a job that drained its work reports. */
export function drainedOutcome(drained: Drained, budget: Budget): JobOutcome {
  return {
    available: true,
    reason: null,
    tenantsTouched: drained.tenants.size,
    rowsChanged: drained.rows,
    batches: drained.batches,
    ...budget.report(),
    stoppedOnBudget: drained.stoppedOnBudget,
  };
}
