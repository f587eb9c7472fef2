// The real `scheduled` handler in workerd: a Worker variant with a fixed jobs clock (JOBS_CLOCK, a
// test-only setting) fires each cron expression of wrangler.toml through wrangler's /__scheduled.
// The clock sits in 1990 so these runs — which act on every tenant — only ever meet this file's rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquire, createAdAccount, report } from "../quota/support.js";
import { apiUrl } from "../support/api.js";
import { createApiKey, createTenant, ownerSql } from "../support/fixtures.js";
import type { RunningWorker } from "../../dev/worker.js";
import { createReport } from "../support/activity-fixtures.js";
import {
  DAY,
  MINUTE,
  addExecutions,
  adAccountStatus,
  createAdAccountExpiring,
  createJobTenant,
  executionRow,
  fireCron,
  remainingExecutions,
  runJob,
  startJobsWorker,
  superAdmin,
  type JobTenant,
} from "./support.js";

const NOW = new Date("1990-06-01T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const HOURLY = "5 * * * *";
const QUARTER_HOURLY = "*/15 * * * *";

let worker: RunningWorker;

beforeAll(async () => {
  worker = await startJobsWorker({ JOBS_CLOCK: NOW.toISOString() });
});

afterAll(async () => {
  await worker?.stop();
});

describe(`retention (cron "${HOURLY}")`, () => {
  /** Rows around a tenant's cutoff: one just past it in each terminal status, one exactly at it, one just inside, an old RUNNING one. */
  async function rowsAround(t: JobTenant, days: number) {
    const cutoff = days * DAY;
    const [failed, succeeded, cancelled, timedOut, atCutoff, inside, running] = await addExecutions(t, [
      { status: "FAILED", startedAt: ago(cutoff + MINUTE) },
      { status: "SUCCESS", startedAt: ago(cutoff + 1) },
      { status: "CANCELLED", startedAt: ago(cutoff + 2 * DAY) },
      { status: "TIMEOUT", startedAt: ago(cutoff + 10 * DAY) },
      { status: "SUCCESS", startedAt: ago(cutoff) },
      { status: "SUCCESS", startedAt: ago(cutoff - MINUTE) },
      { status: "RUNNING", startedAt: ago(cutoff + 30 * DAY) },
    ]);
    return { expired: [failed!, succeeded!, cancelled!, timedOut!], kept: [atCutoff!, inside!, running!] };
  }

  it("deletes terminal executions past the tier's retention, or the client's retentionDays, and keeps the rest", async () => {
    const cases = [
      { tier: "FREE", days: 7 },
      { tier: "BASIC", days: 30 },
      { tier: "PRO", days: 90 },
      { tier: "ENTERPRISE", days: 365 },
      { tier: "FREE", settings: { retentionDays: 400 }, days: 400 },
      { tier: "ENTERPRISE", settings: { retentionDays: 2 }, days: 2 },
      // Not a whole number 1–3650: ignored, the tier decides.
      { tier: "FREE", settings: { retentionDays: "3" }, days: 7 },
      { tier: "BASIC", settings: { retentionDays: 0 }, days: 30 },
      { tier: "BASIC", settings: { retentionDays: 2.5 }, days: 30 },
    ] as const;
    // One tenant after another: a burst of parallel fixtures can overrun the shared local endpoint.
    const arranged = [];
    for (const c of cases) {
      const t = await createJobTenant({ tier: c.tier, ...("settings" in c ? { settings: c.settings } : {}) });
      arranged.push({ c, t, rows: await rowsAround(t, c.days) });
    }

    const res = await fireCron(worker, HOURLY);
    expect(res.status).toBe(200);

    for (const { c, t, rows } of arranged) {
      const left = await remainingExecutions(t);
      const label = `${c.tier} ${JSON.stringify("settings" in c ? c.settings : {})}`;
      expect(
        rows.expired.filter((id) => left.has(id)),
        `${label}: expired rows left`,
      ).toEqual([]);
      expect(
        rows.kept.filter((id) => !left.has(id)),
        `${label}: kept rows deleted`,
      ).toEqual([]);
    }
  });

  it("keeps reports of deleted executions, with their link set to null", async () => {
    const t = await createJobTenant({ tier: "FREE" });
    const [old] = await addExecutions(t, [{ status: "SUCCESS", startedAt: ago(8 * DAY) }]);
    const report = await createReport(t.clientId, t.admin.id, { executionLogId: old! });

    expect((await fireCron(worker, HOURLY)).status).toBe(200);

    expect((await remainingExecutions(t)).has(old!)).toBe(false);
    const [row] = await ownerSql.query(`select "executionLogId" from reports where id = $1`, [report]);
    expect(row).toEqual({ executionLogId: null });
  });
});

describe(`stuck executions (cron "${QUARTER_HOURLY}")`, () => {
  it("turns RUNNING executions older than the client's limit (default 360 minutes) into TIMEOUT, saying why", async () => {
    const byDefault = await createJobTenant();
    const strict = await createJobTenant({ settings: { executionTimeoutMinutes: 30 } });
    const [stuck, recent, finished] = await addExecutions(byDefault, [
      { status: "RUNNING", startedAt: ago(361 * MINUTE) },
      { status: "RUNNING", startedAt: ago(359 * MINUTE) },
      { status: "SUCCESS", startedAt: ago(1000 * MINUTE) },
    ]);
    const [strictStuck, strictRecent] = await addExecutions(strict, [
      { status: "RUNNING", startedAt: ago(31 * MINUTE) },
      { status: "RUNNING", startedAt: ago(29 * MINUTE) },
    ]);

    expect((await fireCron(worker, QUARTER_HOURLY)).status).toBe(200);

    const timedOut = await executionRow(stuck!);
    expect(timedOut).toMatchObject({ status: "TIMEOUT", completedAt: NOW.toISOString(), duration: 361 * MINUTE });
    expect(timedOut?.error).toMatchObject({ code: "TIMEOUT", limitMinutes: 360 });
    expect(timedOut?.error.message).toMatch(/still RUNNING 361 minutes after it started \(limit 360 minutes\)/);
    expect(await executionRow(recent!)).toMatchObject({ status: "RUNNING", completedAt: null });
    expect(await executionRow(finished!)).toMatchObject({ status: "SUCCESS" });
    expect(await executionRow(strictStuck!)).toMatchObject({ status: "TIMEOUT", duration: 31 * MINUTE });
    expect(await executionRow(strictRecent!)).toMatchObject({ status: "RUNNING" });
  });
});

describe("token expiry", () => {
  it(`disconnects ad accounts whose token has expired (cron "${HOURLY}")`, async () => {
    const t = await createJobTenant();
    const [expired, atExpiry, soon, none] = await Promise.all([
      createAdAccountExpiring(t.clientId, ago(60 * MINUTE)),
      createAdAccountExpiring(t.clientId, NOW, "RATE_LIMITED"),
      createAdAccountExpiring(t.clientId, new Date(NOW.getTime() + 3 * DAY)),
      createAdAccountExpiring(t.clientId, null),
    ]);

    expect((await fireCron(worker, HOURLY)).status).toBe(200);

    expect(await adAccountStatus(expired.id)).toBe("DISCONNECTED");
    expect(await adAccountStatus(atExpiry.id)).toBe("DISCONNECTED");
    expect(await adAccountStatus(soon.id)).toBe("ACTIVE");
    expect(await adAccountStatus(none.id)).toBe("ACTIVE");
  });

  it("lists the accounts expiring within 7 days by id and metaAdAccountId", async () => {
    const t = await createJobTenant();
    const root = await superAdmin();
    const [soon, later, gone] = await Promise.all([
      createAdAccountExpiring(t.clientId, new Date(NOW.getTime() + 3 * DAY)),
      createAdAccountExpiring(t.clientId, new Date(NOW.getTime() + 8 * DAY)),
      createAdAccountExpiring(t.clientId, ago(DAY)),
    ]);

    const res = await runJob(worker.url, root.token, "token-expiry", { clientId: t.clientId });

    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ job: "token-expiry", now: NOW.toISOString(), rowsChanged: 1, tenantsTouched: 1 });
    expect(res.body.data.expiring).toEqual([
      {
        id: soon.id,
        metaAdAccountId: soon.metaAdAccountId,
        clientId: t.clientId,
        tokenExpiresAt: new Date(NOW.getTime() + 3 * DAY).toISOString(),
      },
    ]);
    expect(res.body.data.disconnected.map((a: { id: string }) => a.id)).toEqual([gone.id]);
    expect(await adAccountStatus(later.id)).toBe("ACTIVE");
  });
});

describe("quota sync", () => {
  it(`copies the limiter's counters and blocks into ad_accounts (cron "${QUARTER_HOURLY}")`, async () => {
    const root = await superAdmin();
    const t = await createTenant();
    const [used, blocked] = await Promise.all([createAdAccount(t.clientId, { limit: 50 }), createAdAccount(t.clientId, { limit: 50 })]);
    const key = (await createApiKey(t.clientId, ["quota:use"])).key;
    for (const cost of [2, 3]) expect((await acquire(key, used.id, { cost })).status).toBe(200);
    // Meta's ad-account usage header at 95 % blocks the second account.
    const usage = await report(key, blocked.id, {
      headers: { "x-ad-account-usage": JSON.stringify({ acc_id_util_pct: 95, reset_time_duration: 600 }) },
    });
    expect(usage.status).toBe(200);

    const dry = await runJob(apiUrl("").replace(/\/$/, ""), root.token, "quota-sync", { clientId: t.clientId, dryRun: "true" });
    expect(dry.body.data).toMatchObject({ available: true, rowsChanged: 2, batches: 0 });
    const rowsOf = async () =>
      (await ownerSql.query(`select id, "apiCallsUsed", status, "rateLimitResetAt" from ad_accounts where "clientId" = $1 order by id`, [
        t.clientId,
      ])) as { id: string; apiCallsUsed: number; status: string; rateLimitResetAt: string | null }[];
    expect((await rowsOf()).every((r) => r.apiCallsUsed === 0 && r.status === "ACTIVE")).toBe(true);

    const res = await runJob(apiUrl("").replace(/\/$/, ""), root.token, "quota-sync", { clientId: t.clientId });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ job: "quota-sync", available: true, rowsChanged: 2, tenantsTouched: 1 });
    const rows = new Map((await rowsOf()).map((r) => [r.id, r]));
    expect(rows.get(used.id)).toMatchObject({ apiCallsUsed: 5, status: "ACTIVE" });
    expect(rows.get(used.id)?.rateLimitResetAt).not.toBeNull();
    expect(rows.get(blocked.id)).toMatchObject({ status: "RATE_LIMITED" });
  });

  it(`runs from its cron expression ("${QUARTER_HOURLY}")`, async () => {
    const res = await fireCron(worker, QUARTER_HOURLY);
    expect(res.status).toBe(200);
  });
});
