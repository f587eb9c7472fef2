// The API's hot queries keep index plans at scale: `npm run bench:db -- --check` as a test (150
// tenants, 75,000 executions, 7,500 reports on a scratch database of the real server). Plans and row
// counts mean nothing on PGlite (no comparable planner statistics at this size, and minutes to
// load), so this runs only where TEST_DATABASE_URL names a real Postgres.
import { describe, expect, it } from "vitest";
import { benchDb, CHECK, formatTable, KNOWN_ISSUES, unexpectedProblems, type BenchResult } from "../../scripts/bench-db.js";

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))("hot query plans (bench:db --check)", { timeout: 120_000 }, () => {
  let result: BenchResult;

  it("no Seq Scan on execution_logs or reports, and no page reads more than 20× what it returns", async () => {
    result = await benchDb({ serverUrl: process.env.TEST_DATABASE_URL ?? "", size: CHECK, runs: 1 });
    const failures = unexpectedProblems(result).map((q) => `${q.name}: ${q.problems.join("; ")}`);
    expect(failures, formatTable(result)).toEqual([]);
  });

  it("explains every hot query, each known issue by name", () => {
    expect(result.queries.length).toBeGreaterThanOrEqual(25);
    const names = new Set(result.queries.map((q) => q.name));
    for (const name of Object.keys(KNOWN_ISSUES)) expect(names).toContain(name);
    expect(result.tableRows.execution_logs).toBe(CHECK.executions);
  });
});
