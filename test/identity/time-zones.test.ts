// Every instant the service writes, compares or returns is a true UTC instant whatever the
// database's TimeZone: proven on a database east of UTC (Asia/Tokyo, +9) and one west of it
// (America/Los_Angeles, −8), each behind its own local stack and Worker. On a real Postgres the
// zone is the scratch database's own setting (ALTER DATABASE, before anything connects); on PGlite,
// which is one session, a session-level SET TIME ZONE.
import { createHmac } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, execScript, queryRows, type Backend } from "../../ops/backend.js";
import { mintWithPrivateJwks } from "../../dev/authorizer/index.js";
import { startLocalStack, type LocalStack } from "../../dev/stack.js";
import { newId } from "../../drizzle/ids.js";

const ZONES = ["Asia/Tokyo", "America/Los_Angeles"] as const;
const SECONDS = 1000;

async function startZoneStack(zone: string): Promise<{ stack: LocalStack; stop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, "apitz") : undefined;
  try {
    if (scratch) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      try {
        await admin.query(`ALTER DATABASE "${scratch.name}" SET timezone = '${zone}'`);
      } finally {
        await admin.end();
      }
    }
    const stack = await startLocalStack({
      backend: scratch ? { databaseUrl: scratch.url } : {},
      logLevel: "error",
      beforeMigrate: async (backend: Backend) => {
        if (backend.kind === "pglite") await execScript(backend, `SET TIME ZONE '${zone}'`);
      },
    });
    return {
      stack,
      async stop() {
        await stack.stop();
        await scratch?.drop();
      },
    };
  } catch (err) {
    await scratch?.drop();
    throw err;
  }
}

/** One statement through the stack's SQL endpoint, as the role in `connectionString`. */
async function sqlAs(stack: LocalStack, connectionString: string, query: string): Promise<Record<string, string>[]> {
  const res = await fetch(stack.sqlEndpoint.url, {
    method: "POST",
    headers: { "Neon-Connection-String": connectionString, "Neon-Raw-Text-Output": "true" },
    body: JSON.stringify({ query, params: [] }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { rows: Record<string, string>[] }).rows;
}

/** A timestamp(3) column read as the owner, taken as UTC (how the service reads them). */
async function utcMillis(backend: Backend, query: string, params: unknown[]): Promise<number> {
  const [row] = await queryRows<{ at: string }>(backend, `select to_char(${query}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at`, params);
  return Date.parse(row!.at);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(ZONES)("on a database whose TimeZone is %s", (zone) => {
  let env: Awaited<ReturnType<typeof startZoneStack>>;
  let stack: LocalStack;
  const clientId = newId();
  const admin = { id: newId(), sub: `auth-${newId()}` };
  const member = { id: newId(), sub: `auth-${newId()}` };

  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(path, stack.worker.url), init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const token = (sub: string, issuedAt?: number) => {
    const a = stack.authorizer!;
    return mintWithPrivateJwks(a.privateJwks(), a.url, a.clientId, { sub, ...(issuedAt ? { issuedAt } : {}) });
  };
  const bearer = (credential: string) => ({ Authorization: `Bearer ${credential}` });
  const webhook = (event_name: string, updatedAt: number) => {
    const raw = JSON.stringify({
      webhook_id: "wh_tz",
      event_name,
      event_description: event_name,
      user: { id: member.sub, updated_at: updatedAt },
    });
    const signature = createHmac("sha256", stack.authorizer!.webhookSecret).update(raw).digest("hex");
    return api("/v1/webhooks/authorizer", {
      method: "POST",
      headers: { "content-type": "application/json", "x-authorizer-signature": signature },
      body: raw,
    });
  };

  beforeAll(async () => {
    env = await startZoneStack(zone);
    stack = env.stack;
    const now = new Date().toISOString();
    await queryRows(
      stack.backend,
      `insert into clients (id, name, slug, status, tier, "maxUsers", "updatedAt") values ($1, 'TZ', $2, 'ACTIVE', 'PRO', 20, $3)`,
      [clientId, `tz-${clientId}`, now],
    );
    for (const [u, role] of [
      [admin, "ADMIN"],
      [member, "USER"],
    ] as const) {
      await queryRows(
        stack.backend,
        `insert into users (id, "authorizerId", email, role, status, "clientId", "updatedAt") values ($1, $2, $3, $4, 'ACTIVE', $5, $6)`,
        [u.id, u.sub, `${u.id}@tz.test`, role, clientId, now],
      );
    }
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("really runs the application role in that zone (the setting the fix must not depend on)", async () => {
    const [row] = await sqlAs(stack, stack.databaseUrl, "select current_setting('TimeZone') as tz");
    expect(row!.tz).toBe(zone);
  });

  it("a created API key's createdAt (a column default) is the real time, and a revoked key is 401", async () => {
    const adminToken = await token(admin.sub);
    const created = await api("/v1/api-keys", {
      method: "POST",
      headers: { ...bearer(adminToken), "content-type": "application/json" },
      body: JSON.stringify({ name: "tz", scopes: ["reports:read"] }),
    });
    expect(created.status).toBe(201);
    expect(Math.abs(Date.parse(created.body.data.createdAt) - Date.now())).toBeLessThan(10 * SECONDS);
    const stored = await utcMillis(stack.backend, `(select "createdAt" from api_keys where id = $1)`, [created.body.data.id]);
    expect(Math.abs(stored - Date.now())).toBeLessThan(10 * SECONDS);

    const key = created.body.data.key as string;
    expect((await api("/v1/me", { headers: bearer(key) })).status).toBe(403); // valid key, no scope for /v1/me
    const revoked = await api(`/v1/api-keys/${created.body.data.id}`, { method: "DELETE", headers: bearer(adminToken) });
    expect(revoked.status).toBe(200);
    expect(Math.abs(Date.parse(revoked.body.data.revokedAt) - Date.now())).toBeLessThan(10 * SECONDS);
    expect((await api("/v1/me", { headers: bearer(key) })).status).toBe(401);
  });

  it("refuses a token issued before access_revoked even after access_enabled, and accepts a fresh one", async () => {
    const before = await token(member.sub, Math.floor(Date.now() / 1000) - 5);
    expect((await api("/v1/me", { headers: bearer(before) })).status).toBe(200);

    const t0 = Math.floor(Date.now() / 1000);
    expect((await webhook("user.access_revoked", t0)).body.data.outcome).toBe("applied");
    const validAfter = await utcMillis(stack.backend, `(select "tokensValidAfter" from users where id = $1)`, [member.id]);
    expect(Math.abs(validAfter - Date.now())).toBeLessThan(10 * SECONDS);
    expect((await api("/v1/me", { headers: bearer(before) })).status).toBe(401);

    expect((await webhook("user.access_enabled", t0 + 5)).body.data.outcome).toBe("applied");
    expect((await api("/v1/me", { headers: bearer(before) })).status).toBe(401);

    await sleep(1100); // iat has whole seconds: a token from the next second is after the revocation
    const fresh = await token(member.sub);
    expect((await api("/v1/me", { headers: bearer(fresh) })).status).toBe(200);
  });
});
