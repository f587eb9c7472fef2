// Row-level security as the second wall: proven with the application role alone, through the real
// driver (neon-http) and the same tenant helper the Worker uses.
import { neon } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-http";
import { inject } from "vitest";
import { beforeAll, describe, expect, it } from "vitest";
import * as schema from "../../drizzle/schema.js";
import { bindTenantClaimSecret, markCrossTenant } from "../../src/db/claim.js";
import { crossTenantBatch, tenantBatch } from "../../src/db/tenant.js";
import { appSql, createTenant, ownerSql, type TestTenant } from "../support/fixtures.js";

// As the Worker builds them (createDatabase / createCrossTenantDatabase): the application role with
// the claim secret bound, and the cross-tenant role.
const db = bindTenantClaimSecret(drizzle({ client: neon(inject("databaseUrl")), schema }), inject("workerVars").TENANT_CLAIM_SECRET!);
const crossDb = markCrossTenant(drizzle({ client: neon(inject("crossTenantDatabaseUrl")), schema }));

let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(), createTenant()]);
  for (const t of [a, b]) {
    await ownerSql.query(
      `insert into workflows (id, name, "clientId", "createdBy", "updatedAt") values ($1, 'wf', $2, $3, now()), ($4, 'wf2', $2, $3, now())`,
      [`wf1_${t.clientId}`, t.clientId, t.admin.id, `wf2_${t.clientId}`],
    );
  }
});

describe("row-level security", () => {
  it("limits a deliberately unfiltered query through the tenant helper to the caller's rows", async () => {
    const [rows] = await tenantBatch(db, { clientId: a.clientId }, [db.select().from(schema.workflows)]);
    expect(rows.map((r) => r.clientId)).toEqual([a.clientId, a.clientId]);
    const [userRows] = await tenantBatch(db, { clientId: a.clientId }, [db.select().from(schema.users)]);
    expect(new Set(userRows.map((r) => r.clientId))).toEqual(new Set([a.clientId]));
  });

  it("keeps another tenant's rows from the application role even when the query asks for them by id", async () => {
    const [, rows] = await appSql.transaction([
      appSql.query(`select set_config('app.client_id', $1, true)`, [a.clientId]),
      appSql.query(`select id from workflows where "clientId" = $1`, [b.clientId]),
    ]);
    expect(rows).toEqual([]);
  });

  it("shows the application role nothing at all outside a tenant context", async () => {
    const rows = await appSql.query(`select id from clients`);
    expect(rows).toEqual([]);
  });

  it("refuses to write a row into another tenant", async () => {
    await expect(
      appSql.transaction([
        appSql.query(`select set_config('app.client_id', $1, true)`, [a.clientId]),
        appSql.query(`update workflows set name = 'pwned' where "clientId" = $1 returning id`, [b.clientId]),
        appSql.query(
          `insert into workflows (id, name, "clientId", "createdBy", "updatedAt") values ('wf_x_${Date.now()}', 'x', $1, $2, now())`,
          [b.clientId, b.admin.id],
        ),
      ]),
    ).rejects.toMatchObject({ code: "42501" });
    const [row] = await ownerSql.query(`select name from workflows where id = $1`, [`wf1_${b.clientId}`]);
    expect(row!.name).toBe("wf");
  });

  it("cannot be switched off or bypassed by the application role", async () => {
    await expect(appSql.query(`alter table workflows disable row level security`)).rejects.toMatchObject({ code: "42501" });
    await expect(appSql.query(`set role postgres`)).rejects.toMatchObject({ code: "42501" });
    const [role] = await appSql.query(
      `select rolsuper, rolbypassrls, (select count(*) from pg_tables where tableowner = current_user and schemaname = 'public')::int as owned from pg_roles where rolname = current_user`,
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it("sees across tenants only through the cross-tenant role", async () => {
    const [rows] = await crossTenantBatch(crossDb, { reason: "test", requestId: "test", actor: "test" }, [
      crossDb.select({ id: schema.clients.id }).from(schema.clients),
    ]);
    const ids = rows.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([a.clientId, b.clientId]));
    // The application role's connection is refused by the helper before anything is sent.
    await expect(
      crossTenantBatch(db, { reason: "test", requestId: "test", actor: "test" }, [db.select().from(schema.clients)]),
    ).rejects.toThrow(/cross-tenant role/);
  });

  it("leaves the principal lookups as the only doors past the policies, returning one row each", async () => {
    const rows = await appSql.query(`select "userId", "clientId" from api_principal_for_subject($1)`, [a.admin.authorizerId]);
    expect(rows).toEqual([{ userId: a.admin.id, clientId: a.clientId }]);
  });
});
