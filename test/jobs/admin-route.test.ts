// POST /v1/admin/jobs/{name}/run: SUPER_ADMIN only, synchronous, `?dryRun=true` changes nothing,
// `?clientId=` limits a run to one tenant (these tests use it, so they never touch other files' rows).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningWorker } from "../../dev/worker.js";
import { apiUrl } from "../support/api.js";
import { createApiKey, type TestUser } from "../support/fixtures.js";
import {
  DAY,
  MINUTE,
  addExecutions,
  createJobTenant,
  executionRow,
  remainingExecutions,
  runJob,
  startJobsWorker,
  superAdmin,
} from "./support.js";

const base = apiUrl("/").replace(/\/$/, "");
const ago = (ms: number) => new Date(Date.now() - ms);
let root: TestUser;

beforeAll(async () => {
  root = await superAdmin();
});

describe("POST /v1/admin/jobs/{name}/run", () => {
  it("answers 404 for a job that does not exist", async () => {
    const res = await runJob(base, root.token, "vacuum-everything");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });

  it("answers 403 to anyone but a SUPER_ADMIN, API keys included", async () => {
    const t = await createJobTenant();
    const key = await createApiKey(t.clientId, [
      "executions:write",
      "reports:write",
      "workflows:read",
      "quota:use",
      "reports:read",
      "ad_accounts:credentials",
    ]);
    for (const credential of [t.admin.token, t.viewer.token, key.key]) {
      const res = await runJob(base, credential, "retention", { dryRun: "true" });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
  });

  it("refuses a dryRun that is not true or false", async () => {
    const res = await runJob(base, root.token, "retention", { dryRun: "yes" });
    expect(res.status).toBe(400);
  });

  it("reports in a dry run what retention would delete, and deletes nothing", async () => {
    const t = await createJobTenant({ tier: "FREE" });
    const ids = await addExecutions(t, [
      { status: "SUCCESS", startedAt: ago(8 * DAY) },
      { status: "FAILED", startedAt: ago(9 * DAY) },
      { status: "RUNNING", startedAt: ago(9 * DAY) },
      { status: "SUCCESS", startedAt: ago(6 * DAY) },
    ]);

    const res = await runJob(base, root.token, "retention", { dryRun: "true", clientId: t.clientId });

    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      job: "retention",
      dryRun: true,
      clientId: t.clientId,
      rowsChanged: 2,
      tenantsTouched: 1,
      batches: 0,
    });
    expect(await remainingExecutions(t)).toEqual(new Set(ids));
  });

  it("reports in a dry run which executions are stuck, and changes none", async () => {
    const t = await createJobTenant();
    const [stuck] = await addExecutions(t, [{ status: "RUNNING", startedAt: ago(400 * MINUTE) }]);

    const res = await runJob(base, root.token, "stuck-executions", { dryRun: "true", clientId: t.clientId });

    expect(res.body.data).toMatchObject({ job: "stuck-executions", dryRun: true, rowsChanged: 1 });
    expect(await executionRow(stuck!)).toMatchObject({ status: "RUNNING" });
  });

  it("runs retention for real and answers what it did", async () => {
    const t = await createJobTenant({ tier: "BASIC" });
    const [old, fresh] = await addExecutions(t, [
      { status: "SUCCESS", startedAt: ago(31 * DAY) },
      { status: "SUCCESS", startedAt: ago(29 * DAY) },
    ]);

    const res = await runJob(base, root.token, "retention", { clientId: t.clientId });

    expect(res.body.data).toMatchObject({ rowsChanged: 1, tenantsTouched: 1, batches: 1, stoppedOnBudget: false });
    expect(await remainingExecutions(t)).toEqual(new Set([fresh]));
    expect(old).toBeDefined();
  });
});

describe("budget", () => {
  let small: RunningWorker;

  beforeAll(async () => {
    // Two statements of two rows per run.
    small = await startJobsWorker({ JOBS_SUBREQUEST_BUDGET: "2", JOBS_BATCH_SIZE: "2" });
  });

  afterAll(async () => {
    await small?.stop();
  });

  it("stops on its subrequest budget and the next runs resume until nothing is left", async () => {
    const t = await createJobTenant({ tier: "FREE" });
    const [kept] = await addExecutions(t, [{ status: "SUCCESS", startedAt: ago(DAY) }]);
    await addExecutions(
      t,
      Array.from({ length: 9 }, (_, i) => ({ status: "SUCCESS" as const, startedAt: ago(8 * DAY + i * MINUTE) })),
    );

    const runs = [];
    for (let i = 0; i < 3; i++) runs.push((await runJob(small.url, root.token, "retention", { clientId: t.clientId })).body.data);

    expect(runs.map((r) => [r.rowsChanged, r.batches, r.stoppedOnBudget])).toEqual([
      [4, 2, true],
      [4, 2, true],
      [1, 1, false],
    ]);
    expect(await remainingExecutions(t)).toEqual(new Set([kept]));
  });
});
