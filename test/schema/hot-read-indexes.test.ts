// The hot reads are served by the composite indexes, in index order (no Sort node).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execScript, inTransaction } from "../../ops/backend.js";
import { migrate } from "../../ops/migrate.js";
import { seedDemo } from "../../dev/demo/seed.js";
import { openTestBackend, type TestBackend } from "../support/test-backend.js";

describe("hot reads", { timeout: 60_000 }, () => {
  let db: TestBackend;

  beforeAll(async () => {
    db = await openTestBackend("schema_explain");
    await migrate(db.backend);
    await seedDemo(db.backend);
    await execScript(db.backend, BULK_TENANTS);
    await execScript(db.backend, "ANALYZE");
  }, 60_000);

  afterAll(async () => {
    await db?.cleanup();
  });

  // Enough rows that plans are chosen on cost, as in production: twelve more tenants with 1,500
  // executions and 300 reports each over the last 60 days.
  const BULK_TENANTS = `
  INSERT INTO clients (id, name, slug) SELECT 'bulk_' || c, 'Bulk ' || c, 'bulk-' || c FROM generate_series(0, 11) c;
  INSERT INTO users (id, "authorizerId", email, role, "clientId")
    SELECT 'bulk_user_' || c, 'auth-bulk-' || c, 'admin@bulk' || c || '.test', 'ADMIN', 'bulk_' || c FROM generate_series(0, 11) c;
  INSERT INTO workflows (id, name, "clientId", "createdBy", "n8nWorkflowId")
    SELECT 'bulk_wf_' || c, 'Daily', 'bulk_' || c, 'bulk_user_' || c, 'wf-' || c FROM generate_series(0, 11) c;
  INSERT INTO execution_logs (id, status, "startedAt", "completedAt", duration, "n8nExecutionId", "apiCallsUsed", "clientId", "workflowId")
    SELECT 'bulk_exec_' || c || '_' || g, 'SUCCESS', ts, ts + INTERVAL '30 seconds', 30000, 'x-' || g, g % 50, 'bulk_' || c, 'bulk_wf_' || c
      FROM generate_series(0, 11) c, generate_series(1, 1500) g,
           LATERAL (SELECT (now() AT TIME ZONE 'UTC') - g * INTERVAL '57 minutes' AS ts) t;
  INSERT INTO reports (id, title, "periodStart", "periodEnd", content, recipients, "clientId", "userId", "createdAt")
    SELECT 'bulk_report_' || c || '_' || g, 'Weekly', ts - INTERVAL '7 days', ts, '#', '[]', 'bulk_' || c, 'bulk_user_' || c, ts
      FROM generate_series(0, 11) c, generate_series(1, 300) g,
           LATERAL (SELECT (now() AT TIME ZONE 'UTC') - g * INTERVAL '4 hours' AS ts) t;
`;

  /** The plan's text; sequential scans are priced out so the tiny table does not hide the index. */
  async function plan(sql: string, params: unknown[]): Promise<string> {
    return inTransaction(db.backend, async (query) => {
      await query("SET LOCAL enable_seqscan = off");
      const rows = await query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
  }

  it("a tenant's latest executions walk execution_logs_clientId_startedAt_id_idx", async () => {
    const text = await plan(`SELECT * FROM execution_logs WHERE "clientId" = $1 ORDER BY "startedAt" DESC, id DESC LIMIT 25`, ["bulk_4"]);
    expect(text).toContain("execution_logs_clientId_startedAt_id_idx");
    expect(text).not.toMatch(/Sort/);
  });

  it("the next keyset page uses the same index without sorting", async () => {
    const text = await plan(
      `SELECT * FROM execution_logs WHERE "clientId" = $1 AND ("startedAt", id) < ($2::timestamp, $3)
        ORDER BY "startedAt" DESC, id DESC LIMIT 25`,
      ["bulk_4", "2030-01-01T00:00:00", "zzz"],
    );
    expect(text).toContain("execution_logs_clientId_startedAt_id_idx");
    expect(text).not.toMatch(/Sort/);
  });

  it("a workflow's executions over a period use execution_logs_workflowId_startedAt_id_idx", async () => {
    const text = await plan(
      `SELECT * FROM execution_logs WHERE "workflowId" = $1 AND "startedAt" >= $2::timestamp AND "startedAt" < $3::timestamp
        ORDER BY "startedAt" DESC LIMIT 100`,
      ["bulk_wf_3", "2000-01-01T00:00:00", "2100-01-01T00:00:00"],
    );
    expect(text).toContain("execution_logs_workflowId_startedAt_id_idx");
    expect(text).not.toMatch(/Sort/);
  });

  it("a workflow's next keyset page uses execution_logs_workflowId_startedAt_id_idx without sorting", async () => {
    const text = await plan(
      `SELECT * FROM execution_logs WHERE "workflowId" = $1 AND ("startedAt", id) < ($2::timestamp, $3)
        ORDER BY "startedAt" DESC, id DESC LIMIT 25`,
      ["bulk_wf_3", "2030-01-01T00:00:00", "zzz"],
    );
    expect(text).toContain("execution_logs_workflowId_startedAt_id_idx");
    expect(text).not.toMatch(/Sort/);
  });

  it("a workflow's stats over the last days use execution_logs_workflowId_startedAt_id_idx", async () => {
    const text = await plan(
      `SELECT count(*), avg(duration), sum("apiCallsUsed") FROM execution_logs
        WHERE "workflowId" = $1 AND "startedAt" >= (now() AT TIME ZONE 'UTC') - INTERVAL '7 days'`,
      ["bulk_wf_3"],
    );
    expect(text).toMatch(/Index Cond: \(\("workflowId" = 'bulk_wf_3'::text\) AND \("startedAt" >=/);
    expect(text).toContain("execution_logs_workflowId_startedAt_id_idx");
  });

  it("a tenant's reports by date walk reports_clientId_createdAt_id_idx", async () => {
    const text = await plan(`SELECT * FROM reports WHERE "clientId" = $1 ORDER BY "createdAt" DESC, id DESC LIMIT 25`, ["bulk_4"]);
    expect(text).toContain("reports_clientId_createdAt_id_idx");
    expect(text).not.toMatch(/Sort/);
  });

  it("a tenant's reports by period use reports_clientId_periodStart_idx", async () => {
    const text = await plan(
      `SELECT * FROM reports WHERE "clientId" = $1 AND "periodStart" >= $2::timestamp ORDER BY "periodStart" LIMIT 25`,
      ["bulk_4", "2000-01-01T00:00:00"],
    );
    expect(text).toContain("reports_clientId_periodStart_idx");
    expect(text).not.toMatch(/Sort/);
  });
});
