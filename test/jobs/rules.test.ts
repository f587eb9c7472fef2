// Rules of the jobs that need no database: the retention guard, the settings, and that every cron
// expression declared in wrangler.toml runs jobs (and no job is scheduled on an undeclared one).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CRON_JOBS, JOB_NAMES } from "../../src/jobs/index.js";
import { retentionCutoff } from "../../src/jobs/retention.js";
import { jobSettings } from "../../src/jobs/settings.js";

describe("retentionCutoff", () => {
  it("is the retention before now", () => {
    expect(retentionCutoff(new Date("2026-01-31T00:00:00Z"), 30).toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses a retention of %s days (a cutoff not in the past)", (days) => {
    expect(() => retentionCutoff(new Date("2026-01-31T00:00:00Z"), days)).toThrow();
  });

  it("refuses a cutoff that is not in the past of the real time", () => {
    expect(() => retentionCutoff(new Date(Date.now() + 10 * 86_400_000), 1)).toThrow(/not in the past/);
  });
});

describe("jobSettings", () => {
  it("defaults to batches of 1,000 within a bounded budget, on the real clock", () => {
    const s = jobSettings({});
    expect(s.limits).toEqual({ timeBudgetMs: 20_000, subrequestBudget: 40, batchSize: 1000 });
    expect(Math.abs(s.clock().getTime() - Date.now())).toBeLessThan(1000);
    expect(s.quotaConfigured).toBe(false);
  });

  it("honours JOBS_CLOCK when set, but never a clock in the future", () => {
    expect(jobSettings({ JOBS_CLOCK: "2001-02-03T04:05:06.000Z" }).clock().toISOString()).toBe("2001-02-03T04:05:06.000Z");
    expect(() => jobSettings({ JOBS_CLOCK: new Date(Date.now() + 3_600_000).toISOString() })).toThrow(/future/);
  });

  it("refuses batches above 1,000 rows", () => {
    expect(() => jobSettings({ JOBS_BATCH_SIZE: "1001" })).toThrow();
  });
});

describe("cron triggers", () => {
  const declared = JSON.parse(
    readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8").match(/^crons\s*=\s*(\[.*\])$/m)?.[1] ?? "[]",
  );

  it("runs jobs on exactly the expressions wrangler.toml declares, and schedules every job", () => {
    expect(Object.keys(CRON_JOBS).sort()).toEqual([...declared].sort());
    expect(new Set(Object.values(CRON_JOBS).flat())).toEqual(new Set(JOB_NAMES));
  });

  it("runs retention at most hourly (so it gets the long CPU limit)", () => {
    const [expr] = Object.entries(CRON_JOBS).find(([, jobs]) => jobs.includes("retention")) ?? [];
    expect(expr?.split(" ")[0]).toMatch(/^\d+$/);
  });
});
