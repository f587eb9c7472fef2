// Row-level security against an attacker who has the application role's SQL (an injection, a
// leaked DATABASE_URL) but not the Worker's TENANT_CLAIM_SECRET: whatever settings such a session
// makes, it sees no tenant's rows; inside a request it sees at most that request's tenant; only the
// separately configured cross-tenant role sees across tenants. Runs on both backends; the direct
// connection (session-level settings on one session, no SQL endpoint in between) on real Postgres.
import { neon } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-http";
import pg from "pg";
import { beforeAll, describe, expect, inject, it } from "vitest";
import * as schema from "../../drizzle/schema.js";
import { bindTenantClaimSecret, signTenantClaim, tenantClaimKeyId } from "../../src/db/claim.js";
import { tenantBatch } from "../../src/db/tenant.js";
import { appSql, createApiKey, createTenant, ownerSql, type TestTenant } from "../support/fixtures.js";
import { usingRealPostgres } from "../support/test-backend.js";

const TENANT_TABLES = ["clients", "users", "ad_accounts", "workflows", "execution_logs", "reports", "api_keys"] as const;
const secret = inject("workerVars").TENANT_CLAIM_SECRET!;
const crossSql = neon(inject("crossTenantDatabaseUrl"));
const db = bindTenantClaimSecret(drizzle({ client: neon(inject("databaseUrl")), schema }), secret);

let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(), createTenant()]);
  for (const t of [a, b]) {
    await ownerSql.query(`insert into workflows (id, name, "clientId", "createdBy", "updatedAt") values ($1, 'wf', $2, $3, now())`, [
      `wf_claims_${t.clientId}`,
      t.clientId,
      t.admin.id,
    ]);
    await createApiKey(t.clientId, ["reports:read"]);
  }
});

/** Rows of every tenant table visible after `settings`, in one transaction as the application role. */
async function visibleAfter(settings: { query: string; params?: unknown[] }[]): Promise<Record<string, number>> {
  const results = await appSql.transaction([
    ...settings.map((s) => appSql.query(s.query, s.params ?? [])),
    ...TENANT_TABLES.map((t) => appSql.query(`select count(*)::int as n from ${t}`)),
  ]);
  const counts = results.slice(settings.length) as { n: number }[][];
  return Object.fromEntries(TENANT_TABLES.map((t, i) => [t, counts[i]![0]!.n]));
}

const NOTHING = Object.fromEntries(TENANT_TABLES.map((t) => [t, 0]));
const local = (name: string, value: string) => ({ query: `select set_config($1, $2, true)`, params: [name, value] });
const claimSetting = (claim: string) => local("app.tenant_claim", claim);

describe("the application role without the Worker's secret", () => {
  it("sees no rows at all with no settings", async () => {
    expect(await visibleAfter([])).toEqual(NOTHING);
  });

  it.each([
    ["app.cross_tenant = on", [local("app.cross_tenant", "on")]],
    ["app.client_id = a tenant", () => [local("app.client_id", a.clientId)]],
    ["app.user_id = a user", () => [local("app.user_id", a.admin.id)]],
    ["all three", () => [local("app.cross_tenant", "on"), local("app.client_id", a.clientId), local("app.user_id", a.admin.id)]],
  ] as const)("sees no tenant's rows after set_config(%s, transaction-local)", async (_name, settings) => {
    expect(await visibleAfter(typeof settings === "function" ? settings() : [...settings])).toEqual(NOTHING);
  });

  it("sees no tenant's rows after session-level SET of the same settings", async () => {
    const sets = [
      { query: `set app.cross_tenant = 'on'` },
      { query: `select set_config('app.client_id', $1, false)`, params: [a.clientId] },
      { query: `select set_config('app.user_id', $1, false)`, params: [a.admin.id] },
    ];
    expect(await visibleAfter(sets)).toEqual(NOTHING);
    // A session setting made by one request and (where the session is reused) seen by the next.
    for (const s of sets) await appSql.query(s.query, s.params ?? []);
    expect(await visibleAfter([])).toEqual(NOTHING);
    await appSql.query(`reset all`);
  });

  it("sees no tenant's rows with a forged claim (right key id, wrong MAC)", async () => {
    const keyId = await tenantClaimKeyId(secret);
    const exp = Math.floor(Date.now() / 1000) + 60;
    const forged = `v1.${keyId}.${exp}.${"ab".repeat(32)}`;
    expect(await visibleAfter([local("app.client_id", a.clientId), claimSetting(forged)])).toEqual(NOTHING);
  });

  it("sees no tenant's rows with a claim signed by another secret", async () => {
    const other = await signTenantClaim("x".repeat(64), { clientId: a.clientId, userId: "" });
    expect(await visibleAfter([local("app.client_id", a.clientId), claimSetting(other)])).toEqual(NOTHING);
  });

  it("sees no tenant's rows with an expired claim", async () => {
    const expired = await signTenantClaim(secret, { clientId: a.clientId, userId: a.admin.id }, Date.now() - 10 * 60_000);
    expect(await visibleAfter([local("app.client_id", a.clientId), local("app.user_id", a.admin.id), claimSetting(expired)])).toEqual(
      NOTHING,
    );
  });

  it("sees no tenant's rows with a claim replayed for another client id or user id", async () => {
    const claimForA = await signTenantClaim(secret, { clientId: a.clientId, userId: a.admin.id });
    expect(await visibleAfter([local("app.client_id", b.clientId), local("app.user_id", a.admin.id), claimSetting(claimForA)])).toEqual(
      NOTHING,
    );
    expect(await visibleAfter([local("app.client_id", a.clientId), local("app.user_id", b.admin.id), claimSetting(claimForA)])).toEqual(
      NOTHING,
    );
  });

  it("sees exactly one tenant with that tenant's genuine claim (the control for the cases above)", async () => {
    const claimForA = await signTenantClaim(secret, { clientId: a.clientId, userId: a.admin.id });
    const seen = await visibleAfter([local("app.client_id", a.clientId), local("app.user_id", a.admin.id), claimSetting(claimForA)]);
    expect(seen).toMatchObject({ clients: 1, users: 3, workflows: 1, api_keys: 1 });
  });

  it("cannot read the claim keys, call the check itself, replace the functions, or become the cross-tenant role", async () => {
    await expect(appSql.query(`select * from app_private.tenant_claim_keys`)).rejects.toMatchObject({ code: "42501" });
    await expect(appSql.query(`select app_private.tenant_claim_valid()`)).rejects.toMatchObject({ code: "42501" });
    await expect(
      appSql.query(`create or replace function public.app_claimed_client() returns text language sql as $$ select 'x' $$`),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(appSql.query(`set role automation_cross_tenant`)).rejects.toMatchObject({ code: "42501" });
    const [membership] = await appSql.query(
      `select pg_has_role(current_user, 'automation_cross_tenant', 'member') as cross, pg_has_role(current_user, 'automation_api', 'member') as app`,
    );
    expect(membership).toEqual({ cross: false, app: true });
  });
});

describe("inside a request (the injection case)", () => {
  it("a batch sees its own tenant only, whatever the injected statements set", async () => {
    const [own, afterSwitch, afterCrossTenant] = await tenantBatch(db, { clientId: a.clientId, userId: a.admin.id }, [
      db.execute(`select "clientId" from workflows`),
      db.execute(`select set_config('app.client_id', '${b.clientId}', true), (select count(*) from workflows) as n`),
      db.execute(`select set_config('app.cross_tenant', 'on', true), (select count(*) from clients) as n`),
    ]);
    expect(own.rows.map((r) => r.clientId)).toEqual([a.clientId]);
    // Switching the tenant invalidates the claim: not b, and not a any more either.
    expect(Number(afterSwitch.rows[0]!.n)).toBe(0);
    expect(Number(afterCrossTenant.rows[0]!.n)).toBe(0);
  });
});

describe("the cross-tenant role", () => {
  it("sees every tenant, with no setting at all", async () => {
    const rows = await crossSql.query(`select "clientId" from workflows where "clientId" = any($1)`, [[a.clientId, b.clientId]]);
    expect(new Set(rows.map((r) => r.clientId))).toEqual(new Set([a.clientId, b.clientId]));
  });

  it("cannot read the claim keys either, and has neither BYPASSRLS nor the application role", async () => {
    await expect(crossSql.query(`select * from app_private.tenant_claim_keys`)).rejects.toMatchObject({ code: "42501" });
    const [role] = await crossSql.query(
      `select rolsuper, rolbypassrls, pg_has_role(current_user, 'automation_api', 'member') as app from pg_roles where rolname = current_user`,
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, app: false });
  });
});

describe.runIf(usingRealPostgres)("a direct connection as the application role (real Postgres)", () => {
  it("sees no tenant's rows whatever it sets, for the whole session", async () => {
    const client = new pg.Client({ connectionString: inject("databaseUrl").replace(/^postgresql:/, "postgres:") });
    await client.connect();
    try {
      const claimForA = await signTenantClaim(secret, { clientId: a.clientId, userId: "" });
      for (const statement of [
        `set app.cross_tenant = 'on'`,
        `set app.client_id = '${b.clientId}'`,
        `set app.user_id = '${b.admin.id}'`,
        `set app.tenant_claim = '${claimForA}'`, // a real claim, for another tenant
      ]) {
        await client.query(statement);
        for (const table of TENANT_TABLES) {
          const { rows } = await client.query(`select count(*)::int as n from ${table}`);
          expect({ statement, table, n: rows[0].n }).toEqual({ statement, table, n: 0 });
        }
      }
      await expect(client.query(`set role postgres`)).rejects.toMatchObject({ code: "42501" });
      await expect(client.query(`set role automation_cross_tenant`)).rejects.toMatchObject({ code: "42501" });
    } finally {
      await client.end();
    }
  });
});
