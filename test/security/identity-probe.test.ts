// Issue 6, "Identity hardening: what an attacker's probe found": each attack, reproduced against the
// real Worker, and refused. (Webhook attacks are in test/identity/authorizer-webhook.test.ts, the log
// leak in log-redaction.test.ts, the principal cache flood in principal-cache-flood.test.ts.)
import { createHash } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { newId } from "../../drizzle/ids.js";
import { signClaims, authorizerClaims } from "../../dev/authorizer/tokens.js";
import { invitedAuthorizerId } from "../../src/auth/invitations.js";
import { call } from "../support/api.js";
import { bearer, createTenant, mintToken, ownerSql } from "../support/fixtures.js";

const authorizer = inject("authorizer");

describe("placeholder subjects", () => {
  it("refuses a token whose sub is an invitation placeholder (pending:<id>), even for an ACTIVE row", async () => {
    const tenant = await createTenant();
    const id = newId();
    await ownerSql.query(
      `insert into users (id, "authorizerId", email, role, status, "clientId", "updatedAt") values ($1, $2, $3, 'ADMIN', 'ACTIVE', $4, now())`,
      [id, invitedAuthorizerId(id), `invited-${id}@acme.test`, tenant.clientId],
    );
    const res = await call("/v1/me", { headers: bearer(await mintToken(invitedAuthorizerId(id))) });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
    expect(res.headers.get("www-authenticate")).toMatch(/invalid_token/);
  });
});

describe("token lifetime", () => {
  const sign = (sub: string, extraClaims: Record<string, unknown>) =>
    signClaims(authorizer.privateJwks, authorizerClaims(authorizer.url, authorizer.clientId, { sub, extraClaims }));

  it("refuses exp 1e20 and an iat from the year 2000 with 401 (AUTH_MAX_TOKEN_LIFETIME_SECONDS, default a day)", async () => {
    const tenant = await createTenant();
    const now = Math.floor(Date.now() / 1000);
    for (const claims of [
      { iat: now, exp: 1e20 },
      { iat: 946_684_800, exp: now + 600 },
      { iat: now, exp: now + 86_401 },
    ]) {
      const res = await call("/v1/me", { headers: bearer(await sign(tenant.admin.authorizerId, claims)) });
      expect(res.status, JSON.stringify(claims)).toBe(401);
    }
    const ok = await call("/v1/me", { headers: bearer(await sign(tenant.admin.authorizerId, { iat: now, exp: now + 3600 })) });
    expect(ok.status).toBe(200);
  });

  it("refuses an iat in the future beyond the clock tolerance", async () => {
    const tenant = await createTenant();
    const now = Math.floor(Date.now() / 1000);
    const res = await call("/v1/me", { headers: bearer(await sign(tenant.admin.authorizerId, { iat: now + 3600, exp: now + 5400 })) });
    expect(res.status).toBe(401);
  });
});

describe("paths the API does not have", () => {
  it("answers 404, not 405 with Allow, for a trailing slash or other variants of a real path", async () => {
    for (const path of ["/v1/me/", "/v1/me//", "/health/", "/v1/api-keys/", "/openapi.json/"]) {
      for (const method of ["GET", "POST", "DELETE"]) {
        const res = await call(path, { method });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.headers.get("allow"), `${method} ${path}`).toBeNull();
        expect(res.body.error.code).toBe("not_found");
      }
    }
  });

  it("still answers 405 with Allow where the path exists", async () => {
    const me = await call("/v1/me", { method: "DELETE" });
    expect(me.status).toBe(405);
    expect(me.headers.get("allow")).toBe("GET, HEAD");
    const key = await call("/v1/api-keys/cm_some_id", { method: "GET" });
    expect(key.status).toBe(405);
    expect(key.headers.get("allow")).toBe("DELETE");
  });
});

describe("response headers", () => {
  const expectHardened = (headers: Headers, what: string) => {
    expect(headers.get("x-content-type-options"), what).toBe("nosniff");
    expect(headers.get("cache-control"), what).toBe("no-store");
  };

  it("never lets an API key's secret be cached: POST /v1/api-keys answers Cache-Control: no-store, nosniff", async () => {
    const tenant = await createTenant();
    const res = await call("/v1/api-keys", {
      method: "POST",
      headers: { ...bearer(tenant.admin.token), "content-type": "application/json" },
      body: JSON.stringify({ name: "cache probe", scopes: ["reports:read"] }),
    });
    expect(res.status).toBe(201);
    expect(res.body.data.key).toMatch(/^apk_/);
    expectHardened(res.headers, "POST /v1/api-keys");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("puts nosniff and no-store on every answer of the Worker: success, 401, 404, 405, 400, public", async () => {
    const tenant = await createTenant();
    const answers = await Promise.all([
      call("/v1/me", { headers: bearer(tenant.viewer.token) }),
      call("/v1/me"),
      call("/v1/nothing"),
      call("/v1/me", { method: "DELETE" }),
      call("/v1/api-keys", { method: "POST", headers: { ...bearer(tenant.admin.token), "content-type": "application/json" }, body: "{" }),
      call("/health"),
      call("/openapi.json"),
      call("/docs"),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 401, 404, 405, 400, 200, 200, 200]);
    for (const [i, a] of answers.entries()) expectHardened(a.headers, `answer ${i}`);
  });

  it("serves /docs with a CSP that allows exactly its own scripts and forbids framing", async () => {
    const page = await call("/docs");
    const csp = page.headers.get("content-security-policy") ?? "";
    const directives = Object.fromEntries(
      csp.split(/;\s*/).map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives["default-src"]).toEqual(["'none'"]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    // Script elements with src: same origin only (covered by 'self').
    const external = [...page.text.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(external.length).toBeGreaterThan(0);
    for (const src of external) expect(src).toMatch(/^\/docs\/vendor\//);
    // Inline scripts: each allowed by its hash, and nothing else.
    const inline = [...page.text.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    const hashes = inline.map((body) => `'sha256-${createHash("sha256").update(body).digest("base64")}'`);
    expect(directives["script-src"]!.sort()).toEqual(["'self'", ...hashes].sort());
    expect(directives["connect-src"]).toEqual(["'self'"]);
    // The page still renders: its script loads from this origin.
    const script = await call(external[0]!);
    expect(script.status).toBe(200);
  });
});
