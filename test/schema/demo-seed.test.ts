// The demo seed is idempotent and covers every state the API and jobs need to show.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../ops/backend.js";
import { migrate } from "../../ops/migrate.js";
import { executionStatus, reportStatus } from "../../drizzle/enums.js";
import { DEMO_USERS, seedDemo, type SeedSummary } from "../../dev/demo/seed.js";
import { openTestBackend, type TestBackend } from "../support/test-backend.js";
import { tableFingerprints, type TableFingerprint } from "./support.js";

describe("demo seed", { timeout: 60_000 }, () => {
  let db: TestBackend;
  let first: SeedSummary;
  let second: SeedSummary;
  let afterFirst: Record<string, TableFingerprint>;

  beforeAll(async () => {
    db = await openTestBackend("schema_seed");
    await migrate(db.backend);
    first = await seedDemo(db.backend);
    afterFirst = await tableFingerprints(db.backend);
    second = await seedDemo(db.backend);
  }, 60_000);

  afterAll(async () => {
    await db?.cleanup();
  });

  it("inserts rows into every table the first time", () => {
    for (const n of Object.values(first.inserted)) expect(n).toBeGreaterThan(0);
    expect(first.total).toEqual(first.inserted);
    expect(first.total.executionLogs).toBeGreaterThanOrEqual(200);
  });

  it("changes nothing when run again", async () => {
    expect(Object.values(second.inserted)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(second.total).toEqual(first.total);
    expect(await tableFingerprints(db.backend)).toEqual(afterFirst);
  });

  it("has executions in every status, spread over the last 60 days", async () => {
    const rows = await queryRows<{ status: string; oldest_days: number }>(
      db.backend,
      `SELECT status::text, max(extract(epoch FROM (now() AT TIME ZONE 'UTC') - "startedAt") / 86400)::float AS oldest_days
         FROM execution_logs GROUP BY status`,
    );
    expect(rows.map((r) => r.status).sort()).toEqual([...executionStatus.enumValues].sort());
    expect(Math.max(...rows.map((r) => r.oldest_days))).toBeGreaterThan(55);
    expect(Math.max(...rows.map((r) => r.oldest_days))).toBeLessThanOrEqual(61);
  });

  it("keeps durations and completion consistent with the status", async () => {
    const [row] = await queryRows<{ inconsistent: number }>(
      db.backend,
      `SELECT count(*)::int AS inconsistent FROM execution_logs
        WHERE (status = 'RUNNING' AND ("completedAt" IS NOT NULL OR duration IS NOT NULL))
           OR (status <> 'RUNNING' AND ("completedAt" IS NULL
               OR "completedAt" <> "startedAt" + duration * INTERVAL '1 millisecond'))
           OR "apiCallsUsed" < 0`,
    );
    expect(row?.inconsistent).toBe(0);
  });

  it("has reports in every state, sentAt exactly on the sent ones", async () => {
    const rows = await queryRows<{ status: string; with_sent_at: number; n: number }>(
      db.backend,
      `SELECT status::text, count("sentAt")::int AS with_sent_at, count(*)::int AS n FROM reports GROUP BY status`,
    );
    expect(rows.map((r) => r.status).sort()).toEqual([...reportStatus.enumValues].sort());
    for (const r of rows) expect(r.with_sent_at).toBe(r.status === "SENT" ? r.n : 0);
  });

  it("has one SUPER_ADMIN, without a client, and every demo user", async () => {
    const admins = await queryRows(db.backend, `SELECT email, "clientId" FROM users WHERE role = 'SUPER_ADMIN'`);
    expect(admins).toEqual([{ email: "superadmin@platform.test", clientId: null }]);
    const users = await queryRows<{ email: string; authorizerId: string; role: string; clientId: string | null }>(
      db.backend,
      `SELECT email, "authorizerId", role::text, "clientId" FROM users ORDER BY email`,
    );
    expect(users).toEqual(
      DEMO_USERS.map(({ email, authorizerId, role, clientId }) => ({ email, authorizerId, role, clientId })).sort((a, b) =>
        a.email.localeCompare(b.email),
      ),
    );
  });

  it("stores only marked placeholder tokens, never something that looks real", async () => {
    const rows = await queryRows<{ accessToken: string; metaAdAccountId: string }>(
      db.backend,
      `SELECT "accessToken", "metaAdAccountId" FROM ad_accounts`,
    );
    for (const r of rows) {
      expect(r.accessToken).toMatch(/^demo-unencrypted:/);
      expect(r.metaAdAccountId).toMatch(/^act_\d+$/);
    }
  });
});

describe("demo seed on an unmigrated database", { timeout: 60_000 }, () => {
  let db: TestBackend;

  beforeAll(async () => {
    db = await openTestBackend("schema_seed_empty");
  }, 60_000);

  afterAll(async () => {
    await db?.cleanup();
  });

  it("asks for db:migrate first", async () => {
    await expect(seedDemo(db.backend)).rejects.toThrow(/run `npm run db:migrate` first/);
  });
});
