// Issue 12, item 5: no secret in a log line or a response. A workload that handles every kind of
// secret the service knows (access tokens, API keys presented right and wrong, Meta access tokens
// stored, changed, refused and read back, the webhook secret and the encryption key presented as
// credentials, forged and expired tokens, errors of every class) runs against the shared Worker.
// Every response is checked, except the two that exist to hand a secret over (the API key's
// creation, the ad account's credentials); then every line the Worker printed so far in this run
// (the global setup captures all of it, other files' traffic included) is checked. The global
// setup checks the whole run's output once more at its end and fails the run on a leak.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiUrl } from "../support/api.js";
import { bearer, createApiKey, createTenant, forgeToken, mintToken, signatureHeaders, type TestTenant } from "../support/fixtures.js";
import { createN8nWorkflow } from "../support/n8n-fixtures.js";
import { findLeaks, SECRET_SHAPES, stackSecrets, type Secret } from "../support/secrets.js";

let t: TestTenant;
let secrets: Secret[];
const workload: { label: string; requestId: string; status: number; text: string; headers: string; exempt?: string }[] = [];

/** Sends one request with a known request id and keeps what came back. */
async function send(label: string, path: string, init: RequestInit = {}, exempt?: string) {
  const requestId = `leak-${crypto.randomUUID()}`;
  const res = await fetch(apiUrl(path), { ...init, headers: { ...(init.headers as Record<string, string>), "X-Request-Id": requestId } });
  const text = await res.text();
  const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  workload.push({ label, requestId, status: res.status, text, headers, ...(exempt ? { exempt } : {}) });
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}

const json = (credential: string, body: unknown, method = "POST"): RequestInit => ({
  method,
  headers: { ...bearer(credential), "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** A Meta-shaped access token (the pattern check knows the shape; the exact value is checked too). */
const metaToken = () => `EAAGleak${crypto.randomUUID().replaceAll("-", "")}ZDZD`;

beforeAll(async () => {
  t = await createTenant();
  const vars = inject("workerVars");
  secrets = stackSecrets(vars, [inject("backendUrl")]);
  const wf = await createN8nWorkflow(t.clientId, t.admin.id);
  const admin = t.admin.token;
  secrets.push({ name: "the admin's access token", value: admin });

  // People's tokens: valid, in a query string, forged in every way, expired.
  await send("me", "/v1/me", { headers: bearer(admin) });
  await send("token in the query string", `/v1/me?access_token=${admin}`, { headers: bearer(admin) });
  for (const kind of ["alg_none", "tampered_payload", "unknown_key", "wrong_audience", "expired", "id_token"] as const) {
    const forged = await forgeToken(kind, t.user.authorizerId);
    secrets.push({ name: `a ${kind} token`, value: forged });
    await send(`forged ${kind}`, "/v1/me", { headers: bearer(forged) });
  }
  const unknownSubject = await mintToken(`auth-nobody-${crypto.randomUUID()}`);
  secrets.push({ name: "an unknown subject's token", value: unknownSubject });
  await send("unknown subject", "/v1/me", { headers: bearer(unknownSubject) });

  // Server secrets presented as credentials (a caller mixing up settings) must not be echoed either.
  for (const name of ["ENCRYPTION_KEY", "AUTHORIZER_WEBHOOK_SECRET", "UPSTASH_REDIS_REST_TOKEN"]) {
    await send(`${name} as a bearer`, "/v1/me", { headers: bearer(vars[name]!) });
  }
  await send("webhook with the secret as its signature", "/v1/webhooks/authorizer", {
    method: "POST",
    headers: { "content-type": "application/json", "X-Authorizer-Signature": vars.AUTHORIZER_WEBHOOK_SECRET! },
    body: JSON.stringify({ event_name: "user.deactivated", user: { id: "x" }, secret: vars.AUTHORIZER_WEBHOOK_SECRET }),
  });

  // API keys: created through the API (the one response allowed to show it), used, revoked, guessed.
  const created = await send(
    "API key creation",
    "/v1/api-keys",
    json(admin, { name: "leak test", scopes: ["executions:write", "quota:use", "ad_accounts:credentials", "workflows:read"] }),
    "creates the key",
  );
  expect(created.status).toBe(201);
  const key: string = created.body.data.key;
  secrets.push({ name: "the created API key", value: key });
  await send("API key list", "/v1/api-keys", { headers: bearer(admin) });
  await send("workflows with the key", "/v1/workflows", { headers: bearer(key) });
  await send(
    "ingest with the key",
    "/v1/webhooks/n8n/executions",
    json(key, { executionId: String(Date.now()), workflowId: wf.id, status: "success", startedAt: "2026-11-26T06:00:00.000Z" }),
  );
  await send(
    "ingest for a missing workflow",
    "/v1/webhooks/n8n/executions",
    json(key, { executionId: "1", workflowId: "nope", status: "success" }),
  );
  await send("ingest with a bad body", "/v1/webhooks/n8n/executions", {
    ...json(key, {}),
    body: `{"executionId": ${JSON.stringify(key)},`,
  });
  // A signing key: its secret is shown once, then used (signed), misused (bad signature) and replayed.
  const signing = await send(
    "signing key creation",
    "/v1/api-keys",
    json(admin, { name: "leak test signed", scopes: ["workflows:read"], requireSignature: true }),
    "creates the key and its signing secret",
  );
  expect(signing.status).toBe(201);
  const signingKey: string = signing.body.data.key;
  const signingSecret: string = signing.body.data.signingSecret;
  secrets.push({ name: "a signing key", value: signingKey }, { name: "a signing secret", value: signingSecret });
  const signedHeaders = { ...bearer(signingKey), ...signatureHeaders(signingSecret, "") };
  await send("a signed request", "/v1/workflows", { headers: signedHeaders });
  await send("a replayed signed request", "/v1/workflows", { headers: signedHeaders });
  await send("a wrongly signed request", "/v1/workflows", {
    headers: { ...bearer(signingKey), ...signatureHeaders(signingSecret.replace(/.$/, "x"), "") },
  });
  await send("an unsigned request of a signing key", "/v1/workflows", { headers: bearer(signingKey) });
  const guessed = `${key.slice(0, 13)}${"A".repeat(43)}`;
  secrets.push({ name: "a guessed API key", value: guessed });
  await send("a guessed key", "/v1/workflows", { headers: bearer(guessed) });
  const otherKey = (await createApiKey(t.clientId, ["reports:read"], { revoked: true })).key;
  secrets.push({ name: "a revoked API key", value: otherKey });
  await send("a revoked key", "/v1/workflows", { headers: bearer(otherKey) });
  await send("a key without the scope", "/v1/ad-accounts", { headers: bearer(key) });

  // Meta access tokens: stored, read, refused, changed, read back through the credentials endpoint.
  const first = metaToken();
  const second = metaToken();
  secrets.push({ name: "a Meta access token", value: first }, { name: "another Meta access token", value: second });
  const metaId = `act_${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  const account = await send(
    "ad account creation",
    "/v1/ad-accounts",
    json(admin, { metaAdAccountId: metaId, name: "Leaks", accessToken: first }),
  );
  expect(account.status).toBe(201);
  const id: string = account.body.data.id;
  await send("duplicate ad account", "/v1/ad-accounts", json(admin, { metaAdAccountId: metaId, name: "Leaks", accessToken: first }));
  await send(
    "ad account with a bad token",
    "/v1/ad-accounts",
    json(admin, { metaAdAccountId: `${metaId}9`, name: "Leaks", accessToken: `${first} x` }),
  );
  await send(
    "ad account as a viewer",
    "/v1/ad-accounts",
    json(t.viewer.token, { metaAdAccountId: `${metaId}8`, name: "Leaks", accessToken: first }),
  );
  await send("ad account read", `/v1/ad-accounts/${id}`, { headers: bearer(admin) });
  await send("ad account list", "/v1/ad-accounts", { headers: bearer(admin) });
  await send("ad account token change", `/v1/ad-accounts/${id}`, json(admin, { accessToken: second }, "PATCH"));
  await send("ad account bad token change", `/v1/ad-accounts/${id}`, json(admin, { accessToken: `\t${second}` }, "PATCH"));
  await send(
    "credentials as an admin",
    `/v1/ad-accounts/${id}/credentials`,
    { headers: bearer(admin) },
    "returns the Meta token by design",
  );
  await send("credentials with the key", `/v1/ad-accounts/${id}/credentials`, { headers: bearer(key) }, "returns the Meta token by design");
  await send("credentials as a user", `/v1/ad-accounts/${id}/credentials`, { headers: bearer(t.user.token) });
  await send("quota with the key", `/v1/ad-accounts/${id}/quota/acquire`, json(key, { cost: 1 }));
  await send("quota usage", `/v1/ad-accounts/${id}/quota/usage`, json(key, { error: { code: 17, message: `token ${first} throttled` } }));
  await send("revoke the key", `/v1/api-keys/${created.body.data.id}`, { method: "DELETE", headers: bearer(admin) });
  await send("the revoked key again", "/v1/workflows", { headers: bearer(key) });
}, 60_000);

describe("secrets in responses and in the Worker's output", () => {
  it("the workload met every kind of answer (so the checks below see error paths too)", () => {
    const statuses = new Set(workload.map((w) => w.status));
    for (const s of [200, 201, 400, 401, 403, 404, 409]) expect(statuses, `a ${s} in the workload`).toContain(s);
  });

  it("no response carries a secret, except the two that exist to hand one over", () => {
    const leaks = workload
      .filter((w) => !w.exempt)
      .flatMap((w) => findLeaks(`${w.headers}\n${w.text}`, secrets).map((l) => `${w.label} (${w.status}): ${l}`));
    expect(leaks).toEqual([]);
    // The exempt ones really do carry theirs (otherwise the check above proves little).
    for (const w of workload.filter((x) => x.exempt && x.status < 300)) expect(findLeaks(w.text, secrets), w.label).not.toEqual([]);
  });

  it("no line the Worker printed carries a secret", async () => {
    const file = inject("workerLogFile");
    // Wrangler relays the Worker's lines asynchronously: wait until this workload's lines are in.
    let output = "";
    for (let waited = 0; waited < 15_000; waited += 100) {
      output = readFileSync(file, "utf8");
      if (workload.every((w) => output.includes(w.requestId))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const missing = workload.filter((w) => !output.includes(w.requestId)).map((w) => w.label);
    expect(missing, "request lines not captured").toEqual([]);
    expect(findLeaks(output, secrets)).toEqual([]);
    // The shape checks are live: a line made of the workload's secrets would be caught by each.
    for (const shape of SECRET_SHAPES)
      expect(
        secrets.some((s) => shape.pattern.test(s.value)),
        shape.name,
      ).toBe(true);
  });
});
