// After the additive migrations n8n ids are unique per tenant (each tenant may run its own n8n
// instance), and writers other than this service may omit updatedAt.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execScript, queryRows } from "../../ops/backend.js";
import { migrate } from "../../ops/migrate.js";
import { openTestBackend, type TestBackend } from "../support/test-backend.js";

describe("after migration", { timeout: 60_000 }, () => {
  let db: TestBackend;

  beforeAll(async () => {
    db = await openTestBackend("schema_n8n");
    await migrate(db.backend);
    // Written the way an n8n Postgres node would: no updatedAt, relying on the new default.
    await execScript(
      db.backend,
      `INSERT INTO clients (id, name, slug) VALUES ('c_a', 'A', 'a'), ('c_b', 'B', 'b');
       INSERT INTO users (id, "authorizerId", email, "clientId") VALUES ('u_a', 'auth-a', 'a@a.test', 'c_a'), ('u_b', 'auth-b', 'b@b.test', 'c_b');
       INSERT INTO workflows (id, name, "n8nWorkflowId", "clientId", "createdBy") VALUES
         ('w_a', 'A weekly', '42', 'c_a', 'u_a'),
         ('w_b', 'B weekly', '42', 'c_b', 'u_b');`,
    );
  }, 60_000);

  afterAll(async () => {
    await db?.cleanup();
  });

  it("lets two tenants share an n8n workflow id", async () => {
    const rows = await queryRows(db.backend, `SELECT id FROM workflows WHERE "n8nWorkflowId" = '42' ORDER BY id`);
    expect(rows).toEqual([{ id: "w_a" }, { id: "w_b" }]);
  });

  it("refuses a second workflow with the same n8n id in one tenant", async () => {
    await expect(
      execScript(
        db.backend,
        `INSERT INTO workflows (id, name, "n8nWorkflowId", "clientId", "createdBy") VALUES ('w_a2', 'dup', '42', 'c_a', 'u_a')`,
      ),
    ).rejects.toThrow(/workflows_clientId_n8nWorkflowId_key/);
  });

  it("lets two tenants share an n8n execution id", async () => {
    await execScript(
      db.backend,
      `INSERT INTO execution_logs (id, status, "n8nExecutionId", "clientId", "workflowId") VALUES
         ('e_a', 'SUCCESS', '1001', 'c_a', 'w_a'),
         ('e_b', 'RUNNING', '1001', 'c_b', 'w_b')`,
    );
    const rows = await queryRows(db.backend, `SELECT id FROM execution_logs WHERE "n8nExecutionId" = '1001' ORDER BY id`);
    expect(rows).toEqual([{ id: "e_a" }, { id: "e_b" }]);
  });

  it("refuses a second execution with the same n8n id in one tenant", async () => {
    await expect(
      execScript(
        db.backend,
        `INSERT INTO execution_logs (id, status, "n8nExecutionId", "clientId", "workflowId") VALUES ('e_a2', 'FAILED', '1001', 'c_a', 'w_a')`,
      ),
    ).rejects.toThrow(/execution_logs_clientId_n8nExecutionId_key/);
  });

  it("still allows any number of executions without an n8n id", async () => {
    await execScript(
      db.backend,
      `INSERT INTO execution_logs (id, status, "clientId", "workflowId") VALUES ('e_n1', 'RUNNING', 'c_a', 'w_a'), ('e_n2', 'RUNNING', 'c_a', 'w_a')`,
    );
    const [row] = await queryRows<{ n: number }>(
      db.backend,
      `SELECT count(*)::int AS n FROM execution_logs WHERE "n8nExecutionId" IS NULL`,
    );
    expect(row?.n).toBe(2);
  });

  it("fills updatedAt for writers that omit it", async () => {
    const rows = await queryRows<{ missing: number }>(
      db.backend,
      `SELECT (SELECT count(*) FROM clients WHERE "updatedAt" IS NULL)
            + (SELECT count(*) FROM users WHERE "updatedAt" IS NULL)
            + (SELECT count(*) FROM workflows WHERE "updatedAt" IS NULL) AS missing`,
    );
    expect(Number(rows[0]?.missing)).toBe(0);
    const defaults = await queryRows<{ table: string; def: string }>(
      db.backend,
      `SELECT c.relname AS table, pg_get_expr(d.adbin, d.adrelid) AS def
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND a.attname = 'updatedAt' ORDER BY 1`,
    );
    expect(defaults).toEqual(
      ["ad_accounts", "api_keys", "clients", "reports", "users", "workflows"].map((table) => ({ table, def: "CURRENT_TIMESTAMP" })),
    );
  });
});
