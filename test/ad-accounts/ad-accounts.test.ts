import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { decryptToken } from "../../src/crypto/token-crypto.js";
import { seedAdAccount, uniqueMetaId, workerKeyring } from "../support/ad-account-fixtures.js";
import { call, expectEnvelope } from "../support/api.js";
import { api } from "../support/client.js";
import { bearer, createApiKey, createTenant, ownerSql, type TestTenant } from "../support/fixtures.js";

let acme: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  [acme, other] = await Promise.all([createTenant(), createTenant()]);
  await ownerSql.query(`update clients set "maxAdAccounts" = 100 where id = any($1)`, [[acme.clientId, other.clientId]]);
});

const adAccounts = api.v1["ad-accounts"];
const token = () => `EAAGm0PX4ZCps${crypto.randomUUID().replaceAll("-", "")}`;

const send = (method: string, path: string, auth: string, body?: unknown) =>
  call(path, {
    method,
    headers: { ...bearer(auth), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

async function storedToken(id: string): Promise<string> {
  const [row] = await ownerSql.query(`select "accessToken" from ad_accounts where id = $1`, [id]);
  return String(row?.accessToken);
}

describe("POST /v1/ad-accounts", () => {
  it("connects an account, stores its token sealed (never in clear) and never returns it", async () => {
    const secret = token();
    const res = await adAccounts.$post(
      { json: { metaAdAccountId: uniqueMetaId(), name: "Main", accessToken: secret, currency: "MXN", timezone: "Europe/Madrid" } },
      { headers: bearer(acme.admin.token) },
    );
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain(secret);
    const { data } = JSON.parse(text);
    expect(data).toMatchObject({
      clientId: acme.clientId,
      name: "Main",
      currency: "MXN",
      timezone: "Europe/Madrid",
      status: "ACTIVE",
      hasAccessToken: true,
      tokenExpiresAt: null,
      apiCallsUsed: 0,
    });
    expect(Object.keys(data)).not.toContain("accessToken");

    const stored = await storedToken(data.id);
    expect(stored).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(stored).not.toContain(secret);
    expect(await decryptToken(await workerKeyring(), stored, data.id)).toBe(secret);
  });

  it("defaults currency, timezone and apiCallsLimit (META_API_RATE_LIMIT)", async () => {
    const res = await send("POST", "/v1/ad-accounts", acme.admin.token, {
      metaAdAccountId: uniqueMetaId(),
      name: "Defaults",
      accessToken: token(),
      tokenExpiresAt: "2027-01-25T00:00:00-06:00",
      businessId: "9001",
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      currency: "USD",
      timezone: "America/Mexico_City",
      apiCallsLimit: Number(inject("workerVars").META_API_RATE_LIMIT ?? 200),
      tokenExpiresAt: "2027-01-25T06:00:00.000Z",
      businessId: "9001",
    });
  });

  it.each([
    ["metaAdAccountId", { metaAdAccountId: "123456" }],
    ["metaAdAccountId", { metaAdAccountId: "act_12ab" }],
    ["currency", { currency: "usd" }],
    ["currency", { currency: "XYZ" }],
    ["timezone", { timezone: "Mars/Phobos" }],
    ["timezone", { timezone: "+05:00" }],
    ["apiCallsLimit", { apiCallsLimit: 0 }],
    ["apiCallsLimit", { apiCallsLimit: 1.5 }],
    ["accessToken", { accessToken: "" }],
    ["name", { name: "  " }],
  ])("refuses a bad %s with details naming it (%j)", async (field, override) => {
    const res = await send("POST", "/v1/ad-accounts", acme.admin.token, {
      metaAdAccountId: uniqueMetaId(),
      name: "Bad",
      accessToken: token(),
      ...override,
    });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it("accepts real currencies and IANA zones", async () => {
    const res = await send("POST", "/v1/ad-accounts", acme.admin.token, {
      metaAdAccountId: uniqueMetaId(),
      name: "Tokyo",
      accessToken: token(),
      currency: "JPY",
      timezone: "Asia/Tokyo",
    });
    expect(res.status).toBe(201);
  });

  it("refuses fields it does not know (clientId, status)", async () => {
    for (const extra of [{ clientId: other.clientId }, { status: "ACTIVE" }, { apiCallsUsed: 3 }]) {
      const res = await send("POST", "/v1/ad-accounts", acme.admin.token, {
        metaAdAccountId: uniqueMetaId(),
        name: "x",
        accessToken: token(),
        ...extra,
      });
      expect(res.status, JSON.stringify(extra)).toBe(400);
    }
  });

  it("answers 409 conflict for a metaAdAccountId already connected, by this client or another", async () => {
    const taken = await seedAdAccount(other.clientId);
    const res = await send("POST", "/v1/ad-accounts", acme.admin.token, {
      metaAdAccountId: taken.metaAdAccountId,
      name: "Dup",
      accessToken: token(),
    });
    expect(res.status).toBe(409);
    expectEnvelope(res.body, "conflict");
    expect(res.body.error.details).toEqual([{ path: "metaAdAccountId", message: expect.any(String) }]);
  });

  it("answers 409 limit_reached at maxAdAccounts, with the counts", async () => {
    const t = await createTenant();
    await ownerSql.query(`update clients set "maxAdAccounts" = 1 where id = $1`, [t.clientId]);
    await seedAdAccount(t.clientId);
    const res = await send("POST", "/v1/ad-accounts", t.admin.token, {
      metaAdAccountId: uniqueMetaId(),
      name: "One too many",
      accessToken: token(),
    });
    expect(res.status).toBe(409);
    expectEnvelope(res.body, "limit_reached");
    expect(res.body.error.details).toEqual([
      { path: "resource", message: "adAccounts" },
      { path: "current", message: "1" },
      { path: "max", message: "1" },
    ]);
  });

  it("enforces the limit atomically: 8 simultaneous creations with room for 2 → exactly 2 created", async () => {
    const t = await createTenant();
    await ownerSql.query(`update clients set "maxAdAccounts" = 3 where id = $1`, [t.clientId]);
    await seedAdAccount(t.clientId);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        send("POST", "/v1/ad-accounts", t.admin.token, { metaAdAccountId: uniqueMetaId(), name: `Race ${i}`, accessToken: token() }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.error.code).toBe("limit_reached");
    const [count] = await ownerSql.query(`select count(*)::int as n from ad_accounts where "clientId" = $1`, [t.clientId]);
    expect(count?.n).toBe(3);
  });
});

describe("GET /v1/ad-accounts", () => {
  it("lists the client's accounts newest first, pages with a cursor, filters by status, and never shows a token", async () => {
    const t = await createTenant();
    const secrets: string[] = [];
    const ids: string[] = [];
    for (const name of ["first", "second", "third"]) {
      const secret = token();
      secrets.push(secret);
      const res = await send("POST", "/v1/ad-accounts", t.admin.token, { metaAdAccountId: uniqueMetaId(), name, accessToken: secret });
      ids.push(res.body.data.id);
    }
    await ownerSql.query(`update ad_accounts set status = 'INACTIVE' where id = $1`, [ids[0]]);
    await seedAdAccount(other.clientId);

    const first = await adAccounts.$get({ query: { limit: "2" } }, { headers: bearer(t.viewer.token) });
    expect(first.status).toBe(200);
    const firstBody = await first.json();
    expect(firstBody.data.map((a) => a.name)).toEqual(["third", "second"]);
    expect(firstBody.nextCursor).toEqual(expect.any(String));
    const second = await adAccounts.$get(
      { query: { limit: "2", cursor: firstBody.nextCursor ?? "" } },
      { headers: bearer(t.viewer.token) },
    );
    const secondBody = await second.json();
    expect(secondBody.data.map((a) => a.name)).toEqual(["first"]);
    expect(secondBody.nextCursor).toBeNull();

    const inactive = await call("/v1/ad-accounts?status=INACTIVE", { headers: bearer(t.user.token) });
    expect(inactive.body.data.map((a: { id: string }) => a.id)).toEqual([ids[0]]);

    for (const text of [JSON.stringify(firstBody), JSON.stringify(secondBody), inactive.text]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it("rejects a bad status, limit or cursor", async () => {
    for (const query of ["status=active", "limit=0", "limit=101", "cursor=nope"]) {
      const res = await call(`/v1/ad-accounts?${query}`, { headers: bearer(acme.viewer.token) });
      expect(res.status, query).toBe(400);
    }
  });
});

describe("GET /v1/ad-accounts/{id}", () => {
  it("reads an account for any member, without its token", async () => {
    const account = await seedAdAccount(acme.clientId);
    const res = await adAccounts[":id"].$get({ param: { id: account.id } }, { headers: bearer(acme.viewer.token) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(account.token);
    expect(JSON.parse(text).data).toMatchObject({ id: account.id, metaAdAccountId: account.metaAdAccountId, hasAccessToken: true });
  });
});

describe("PATCH /v1/ad-accounts/{id}", () => {
  it("changes fields and re-seals a new token", async () => {
    const account = await seedAdAccount(acme.clientId);
    const before = await storedToken(account.id);
    const secret = token();
    const res = await adAccounts[":id"].$patch(
      {
        param: { id: account.id },
        json: {
          name: "Renamed",
          accessToken: secret,
          tokenExpiresAt: "2027-03-01T00:00:00Z",
          currency: "EUR",
          timezone: "Europe/Berlin",
          apiCallsLimit: 500,
          status: "INACTIVE",
        },
      },
      { headers: bearer(acme.admin.token) },
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(secret);
    expect(JSON.parse(text).data).toMatchObject({
      name: "Renamed",
      tokenExpiresAt: "2027-03-01T00:00:00.000Z",
      currency: "EUR",
      timezone: "Europe/Berlin",
      apiCallsLimit: 500,
      status: "INACTIVE",
    });
    const after = await storedToken(account.id);
    expect(after).not.toBe(before);
    expect(after).not.toContain(secret);
    expect(await decryptToken(await workerKeyring(), after, account.id)).toBe(secret);
  });

  it("clears nullable fields with null and leaves the token alone when it is not given", async () => {
    const account = await seedAdAccount(acme.clientId);
    const before = await storedToken(account.id);
    const res = await send("PATCH", `/v1/ad-accounts/${account.id}`, acme.admin.token, { tokenExpiresAt: null, businessId: null });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ tokenExpiresAt: null, businessId: null });
    expect(await storedToken(account.id)).toBe(before);
  });

  it.each([
    [{}],
    [{ status: "DISCONNECTED" }],
    [{ status: "active" }],
    [{ metaAdAccountId: "act_1" }],
    [{ currency: "EURO" }],
    [{ timezone: "Nowhere/Land" }],
    [{ name: null }],
  ])("refuses %j", async (body) => {
    const account = await seedAdAccount(acme.clientId);
    const res = await send("PATCH", `/v1/ad-accounts/${account.id}`, acme.admin.token, body);
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
  });
});

describe("DELETE /v1/ad-accounts/{id}", () => {
  it("deletes the account and keeps its workflows, executions and reports with the link set to null", async () => {
    const account = await seedAdAccount(acme.clientId);
    const workflowId = `wf_${account.id}`;
    await ownerSql.query(
      `insert into workflows (id, name, "clientId", "adAccountId", "createdBy", "updatedAt") values ($1, 'Weekly', $2, $3, $4, now())`,
      [workflowId, acme.clientId, account.id, acme.admin.id],
    );
    await ownerSql.query(
      `insert into execution_logs (id, status, "clientId", "workflowId", "adAccountId") values ($1, 'SUCCESS', $2, $3, $4)`,
      [`ex_${account.id}`, acme.clientId, workflowId, account.id],
    );

    const res = await adAccounts[":id"].$delete({ param: { id: account.id } }, { headers: bearer(acme.admin.token) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(account.token);
    expect(JSON.parse(text).data.id).toBe(account.id);

    expect((await call(`/v1/ad-accounts/${account.id}`, { headers: bearer(acme.admin.token) })).status).toBe(404);
    const [wf] = await ownerSql.query(`select "adAccountId" from workflows where id = $1`, [workflowId]);
    expect(wf).toEqual({ adAccountId: null });
    const [ex] = await ownerSql.query(`select "adAccountId" from execution_logs where id = $1`, [`ex_${account.id}`]);
    expect(ex).toEqual({ adAccountId: null });
  });

  it("answers 404 the second time", async () => {
    const account = await seedAdAccount(acme.clientId);
    expect((await send("DELETE", `/v1/ad-accounts/${account.id}`, acme.admin.token)).status).toBe(200);
    expect((await send("DELETE", `/v1/ad-accounts/${account.id}`, acme.admin.token)).status).toBe(404);
  });
});

describe("GET /v1/ad-accounts/{id}/credentials", () => {
  it("gives an ADMIN the token in clear, not to be cached", async () => {
    const account = await seedAdAccount(acme.clientId);
    const res = await adAccounts[":id"].credentials.$get({ param: { id: account.id } }, { headers: bearer(acme.admin.token) });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({
      data: { metaAdAccountId: account.metaAdAccountId, accessToken: account.token, tokenExpiresAt: null },
    });
  });

  it("gives an API key with ad_accounts:credentials the token of a created account", async () => {
    const secret = token();
    const created = await send("POST", "/v1/ad-accounts", acme.admin.token, {
      metaAdAccountId: uniqueMetaId(),
      name: "For n8n",
      accessToken: secret,
      tokenExpiresAt: "2027-01-01T00:00:00.000Z",
    });
    const key = await createApiKey(acme.clientId, ["ad_accounts:credentials"]);
    const res = await call(`/v1/ad-accounts/${created.body.data.id}/credentials`, { headers: bearer(key.key) });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      metaAdAccountId: created.body.data.metaAdAccountId,
      accessToken: secret,
      tokenExpiresAt: "2027-01-01T00:00:00.000Z",
    });
  });

  it("reads a legacy plaintext token of an adopted database as it is", async () => {
    const account = await seedAdAccount(acme.clientId, { legacy: true, token: "enc:v1:acme-main" });
    const res = await call(`/v1/ad-accounts/${account.id}/credentials`, { headers: bearer(acme.admin.token) });
    expect(res.status).toBe(200);
    expect(res.body.data.accessToken).toBe("enc:v1:acme-main");
  });

  it("refuses a USER, a VIEWER and an API key without the scope", async () => {
    const account = await seedAdAccount(acme.clientId);
    const key = await createApiKey(acme.clientId, ["quota:use", "workflows:read"]);
    for (const credential of [acme.user.token, acme.viewer.token, key.key]) {
      const res = await call(`/v1/ad-accounts/${account.id}/credentials`, { headers: bearer(credential) });
      expect(res.status).toBe(403);
      expect(res.text).not.toContain(account.token);
    }
  });

  it("answers 500 (never the ciphertext of another row) when a sealed token is copied onto another account", async () => {
    const [a, b] = await Promise.all([seedAdAccount(acme.clientId), seedAdAccount(acme.clientId)]);
    await ownerSql.query(`update ad_accounts set "accessToken" = (select "accessToken" from ad_accounts where id = $1) where id = $2`, [
      a.id,
      b.id,
    ]);
    const res = await call(`/v1/ad-accounts/${b.id}/credentials`, { headers: bearer(acme.admin.token) });
    expect(res.status).toBe(500);
    expectEnvelope(res.body, "internal");
    expect(res.text).not.toContain(a.token);
  });
});
