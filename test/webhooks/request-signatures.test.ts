// Issue 8, item 5: API keys that must sign their requests. A key created with requireSignature
// gets a signing secret once; every request it makes carries X-Timestamp (Unix seconds, ±300 s) and
// X-Signature (hex HMAC-SHA256 of `<timestamp>.<raw body>`). Missing, stale, future, wrong or
// replayed signatures are 401 with nothing written; a request that failed gives its signature back
// (n8n's Retry On Fail resends the same headers); plain keys keep working unsigned.
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectEnvelope } from "../support/api.js";
import { bearer, createApiKey, createTenant, ownerSql, signatureHeaders, type TestTenant } from "../support/fixtures.js";
import { sqlRequestsOf, traceId } from "../support/round-trips.js";
import { createN8nWorkflow, executionRows, n8nExecutionId, type N8nWorkflow } from "../support/n8n-fixtures.js";

const PATH = "/v1/webhooks/n8n/executions";

let acme: TestTenant;
let wf: N8nWorkflow;
let signingKey: { id: string; key: string; secret: string };

const sign = (secret: string, timestamp: string, body: string) => signatureHeaders(secret, body, Number(timestamp))["X-Signature"]!;
const now = () => String(Math.floor(Date.now() / 1000));

function signedPost(body: string, opts: { key?: string; secret?: string; timestamp?: string; signature?: string } = {}) {
  const timestamp = opts.timestamp ?? now();
  const signature = opts.signature ?? sign(opts.secret ?? signingKey.secret, timestamp, body);
  return call(PATH, {
    method: "POST",
    headers: {
      ...bearer(opts.key ?? signingKey.key),
      "content-type": "application/json",
      "X-Timestamp": timestamp,
      "X-Signature": signature,
    },
    body,
  });
}

const execution = (executionId = n8nExecutionId()) =>
  JSON.stringify({
    executionId,
    n8nWorkflowId: wf.n8nWorkflowId,
    status: "success",
    startedAt: "2026-11-26T06:00:00.000Z",
    stoppedAt: "2026-11-26T06:00:05.000Z",
  });

beforeAll(async () => {
  acme = await createTenant();
  wf = await createN8nWorkflow(acme.clientId, acme.user.id);
  const created = await call("/v1/api-keys", {
    method: "POST",
    headers: { ...bearer(acme.admin.token), "content-type": "application/json" },
    body: JSON.stringify({ name: "n8n signed", scopes: ["executions:write", "reports:read"], requireSignature: true }),
  });
  expect(created.status).toBe(201);
  signingKey = { id: created.body.data.id, key: created.body.data.key, secret: created.body.data.signingSecret };
});

describe("creating a signing key", () => {
  it("returns the signing secret once, marks the key, and stores the secret sealed", async () => {
    expect(signingKey.secret).toMatch(/^sig_[A-Za-z0-9_-]{43}$/);
    const listed = await call("/v1/api-keys", { headers: bearer(acme.admin.token) });
    const row = listed.body.data.find((k: { id: string }) => k.id === signingKey.id);
    expect(row).toMatchObject({ signatureRequired: true });
    expect(row.signingSecret).toBeUndefined();
    const stored = await ownerSql.query(`select "signingSecret" from api_keys where id = $1`, [signingKey.id]);
    expect(stored[0]!.signingSecret).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(stored[0]!.signingSecret).not.toContain(signingKey.secret);
  });

  it("creates plain keys by default, without a secret", async () => {
    const created = await call("/v1/api-keys", {
      method: "POST",
      headers: { ...bearer(acme.admin.token), "content-type": "application/json" },
      body: JSON.stringify({ name: "plain", scopes: ["reports:read"] }),
    });
    expect(created.status).toBe(201);
    expect(created.body.data.signatureRequired).toBe(false);
    expect(created.body.data.signingSecret).toBeUndefined();
  });

  it("refuses a requireSignature that is not a boolean", async () => {
    const res = await call("/v1/api-keys", {
      method: "POST",
      headers: { ...bearer(acme.admin.token), "content-type": "application/json" },
      body: JSON.stringify({ name: "x", scopes: ["reports:read"], requireSignature: "yes" }),
    });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
  });
});

describe("requests made with a signing key", () => {
  it("accepts a correctly signed webhook (201) and a signed GET (empty body)", async () => {
    const id = n8nExecutionId();
    const res = await signedPost(execution(id));
    expect(res.status).toBe(201);
    expect(await executionRows(acme.clientId, id)).toHaveLength(1);
    const timestamp = now();
    const get = await call("/v1/reports", {
      headers: { ...bearer(signingKey.key), "X-Timestamp": timestamp, "X-Signature": sign(signingKey.secret, timestamp, "") },
    });
    expect(get.status).toBe(200);
  });

  it.each([
    ["no signature at all", { "X-Timestamp": "", "X-Signature": "" }, /must sign/],
    ["a timestamp 6 minutes old", { timestamp: String(Math.floor(Date.now() / 1000) - 360) }, /X-Timestamp/],
    ["a timestamp 6 minutes ahead", { timestamp: String(Math.floor(Date.now() / 1000) + 360) }, /X-Timestamp/],
    ["a timestamp in milliseconds", { timestamp: String(Date.now()) }, /X-Timestamp/],
    ["a signature made with another secret", { secret: "sig_not-the-secret" }, /does not match/],
    ["a signature that is not hex", { signature: "z".repeat(64) }, /hex HMAC/],
    ["a truncated signature", { signature: "ab".repeat(16) }, /hex HMAC/],
  ] as const)("refuses %s with 401 and writes nothing", async (_label, opts, message) => {
    const id = n8nExecutionId();
    const body = execution(id);
    const res =
      "X-Timestamp" in opts
        ? await call(PATH, { method: "POST", headers: { ...bearer(signingKey.key), "content-type": "application/json" }, body })
        : await signedPost(body, opts);
    expect(res.status).toBe(401);
    expectEnvelope(res.body, "unauthorized");
    expect(res.body.error.message).toMatch(message);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await executionRows(acme.clientId, id)).toHaveLength(0);
  });

  it("keeps a warm signed webhook at one SQL-over-HTTP request (the replay check is Upstash's)", async () => {
    expect((await signedPost(execution())).status).toBe(201); // warm: the key's principal is cached
    const requestId = traceId("signed");
    const body = execution();
    const timestamp = now();
    const res = await call(PATH, {
      method: "POST",
      headers: {
        ...bearer(signingKey.key),
        "content-type": "application/json",
        "X-Request-Id": requestId,
        "X-Timestamp": timestamp,
        "X-Signature": sign(signingKey.secret, timestamp, body),
      },
      body,
    });
    expect(res.status).toBe(201);
    expect(await sqlRequestsOf(requestId)).toBe(1);
  });

  it("refuses a body changed after signing", async () => {
    const id = n8nExecutionId();
    const timestamp = now();
    const signature = sign(signingKey.secret, timestamp, execution(id));
    const tampered = execution(id).replace('"success"', '"error"');
    const res = await signedPost(tampered, { timestamp, signature });
    expect(res.status).toBe(401);
    expect(await executionRows(acme.clientId, id)).toHaveLength(0);
  });

  it("refuses a replay of a request that succeeded, even within the window", async () => {
    const body = execution();
    const timestamp = now();
    const signature = sign(signingKey.secret, timestamp, body);
    expect((await signedPost(body, { timestamp, signature })).status).toBe(201);
    const replay = await signedPost(body, { timestamp, signature });
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toMatch(/already used/);
    // Simultaneous replays: exactly one wins.
    const fresh = execution();
    const t2 = now();
    const s2 = sign(signingKey.secret, t2, fresh);
    const statuses = await Promise.all(
      Array.from({ length: 8 }, () => signedPost(fresh, { timestamp: t2, signature: s2 }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(7);
  });

  it("gives the signature back when the request fails, so the same request can be retried", async () => {
    // An unknown workflow: 404. The same signed request, once the workflow exists, succeeds.
    const later = await createN8nWorkflow(acme.clientId, acme.user.id);
    const body = JSON.stringify({ executionId: n8nExecutionId(), n8nWorkflowId: `${later.n8nWorkflowId}-not-yet`, status: "success" });
    const timestamp = now();
    const signature = sign(signingKey.secret, timestamp, body);
    expect((await signedPost(body, { timestamp, signature })).status).toBe(404);
    await ownerSql.query(`update workflows set "n8nWorkflowId" = $1 where id = $2`, [`${later.n8nWorkflowId}-not-yet`, later.id]);
    // The release runs after the first response: allow it a moment.
    let status = 0;
    for (let i = 0; i < 20 && status !== 201; i++) {
      status = (await signedPost(body, { timestamp, signature })).status;
      if (status !== 201) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(201);
  });

  it("refuses a request refused by the policy (403) without spending the signature for good", async () => {
    const body = JSON.stringify({ title: "x" });
    const timestamp = now();
    const signature = sign(signingKey.secret, timestamp, body);
    const send = () =>
      call("/v1/clients", {
        method: "POST",
        headers: { ...bearer(signingKey.key), "content-type": "application/json", "X-Timestamp": timestamp, "X-Signature": signature },
        body,
      });
    expect((await send()).status).toBe(403);
    // Released after the response: the same request is judged again (403), not refused as a replay (401).
    let again = await send();
    for (let i = 0; i < 20 && again.status === 401; i++) {
      await new Promise((r) => setTimeout(r, 100));
      again = await send();
    }
    expect(again.status).toBe(403);
  });
});

describe("plain keys", () => {
  it("keep working without any signature headers", async () => {
    const plain = await createApiKey(acme.clientId, ["executions:write"]);
    const id = n8nExecutionId();
    const res = await call(PATH, {
      method: "POST",
      headers: { ...bearer(plain.key), "content-type": "application/json" },
      body: execution(id),
    });
    expect(res.status).toBe(201);
  });
});
