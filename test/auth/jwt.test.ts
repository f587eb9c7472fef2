// verifyAccessToken against the local Authorizer stand-in: what verifies, and why everything else is
// refused. JWKS caching and rotation are in jwks-cache.test.ts.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, importJWK, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAuthorizerStandIn, type AuthorizerStandIn } from "../../dev/authorizer/index.js";
import { FORGED_KINDS, hs256, mintForged, tamperPayload, type ForgedKind } from "../../dev/authorizer/forge.js";
import { authorizerClaims, publicJwk, signClaims } from "../../dev/authorizer/tokens.js";
import { clearJwksCache, verifyAccessToken, type AuthorizerSettings } from "../../src/auth/jwt.js";

let authorizer: AuthorizerStandIn;
let settings: AuthorizerSettings;

beforeAll(async () => {
  authorizer = await startAuthorizerStandIn({ clientId: "jwt-test-client" });
  settings = { url: authorizer.url, clientId: authorizer.clientId };
});
afterAll(() => authorizer.close());
beforeEach(() => clearJwksCache());

describe("a genuine access token", () => {
  it("verifies and yields sub, iat and exp", async () => {
    const issuedAt = Math.floor(Date.now() / 1000) - 60;
    const token = await authorizer.mintAccessToken({ sub: "user-123", issuedAt, expiresInSeconds: 1800 });
    const result = await verifyAccessToken(token, settings);
    expect(result).toMatchObject({ ok: true, sub: "user-123", issuedAt, expiresAt: issuedAt + 1800 });
    if (!result.ok) return;
    expect(result.claims).toMatchObject({
      token_type: "access_token",
      aud: "jwt-test-client",
      iss: authorizer.url,
      scope: ["openid", "email", "profile"],
    });
  });

  it("verifies when AUTHORIZER_URL is configured with a trailing slash", async () => {
    const token = await authorizer.mintAccessToken({ sub: "user-123" });
    expect(await verifyAccessToken(token, { ...settings, url: `${authorizer.url}/` })).toMatchObject({ ok: true });
  });

  it("accepts an array aud that contains the client id", async () => {
    const token = await authorizer.mintAccessToken({ sub: "user-123", extraClaims: { aud: ["another-client", "jwt-test-client"] } });
    expect(await verifyAccessToken(token, settings)).toMatchObject({ ok: true, sub: "user-123" });
  });

  it("tolerates 30 seconds of clock skew on exp, not more", async () => {
    const iat = 1_800_000_000;
    const token = await authorizer.mintAccessToken({ sub: "user-123", issuedAt: iat, expiresInSeconds: 600 });
    const at = (seconds: number) => () => seconds * 1000;
    expect(await verifyAccessToken(token, settings, at(iat + 600 + 29))).toMatchObject({ ok: true });
    expect(await verifyAccessToken(token, settings, at(iat + 600 + 31))).toEqual({ ok: false, reason: "expired" });
  });
});

describe("refusals", () => {
  const expected: Record<ForgedKind, string> = {
    alg_none: "algorithm_not_allowed",
    hs256_public_pem: "algorithm_not_allowed",
    hs256_public_jwk: "algorithm_not_allowed",
    tampered_payload: "invalid_signature",
    unknown_key: "invalid_signature", // no kid: indistinguishable from a bad signature by a known key
    es256_unknown_key: "unknown_key", // no EC key published at all
    wrong_issuer: "wrong_issuer",
    wrong_audience: "wrong_audience",
    id_token: "wrong_token_type",
    expired: "expired",
    missing_sub: "invalid_claims",
    missing_exp: "invalid_claims",
  };

  it.each(FORGED_KINDS)("%s", async (kind) => {
    const token = await mintForged(authorizer, kind, { sub: "victim" });
    expect(await verifyAccessToken(token, settings)).toEqual({ ok: false, reason: expected[kind] });
  });

  it.each([
    ["empty string", ""],
    ["two segments", "a.b"],
    ["three junk segments", "a.b.c"],
    ["non-base64 header", "!!!.eyJzdWIiOiJ4In0.sig"],
    ["header that is not JSON", `${Buffer.from("not json").toString("base64url")}.e30.sig`],
    [
      "payload that is not JSON",
      `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from("nope").toString("base64url")}.sig`,
    ],
    [
      "payload that is a JSON array",
      `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from("[1]").toString("base64url")}.sig`,
    ],
    ["five segments (JWE)", "a.b.c.d.e"],
    ["a bearer API key", "apk_live_0123456789"],
  ])("malformed: %s", async (_label, token) => {
    const fetches = authorizer.jwksRequestCount();
    expect(await verifyAccessToken(token, settings)).toEqual({ ok: false, reason: "malformed" });
    expect(authorizer.jwksRequestCount()).toBe(fetches); // garbage never reaches the network
  });

  it("refuses a signature that is not base64url", async () => {
    const token = await authorizer.mintAccessToken({ sub: "user-123" });
    const [h, p] = token.split(".");
    expect(await verifyAccessToken(`${h}.${p}.***`, settings)).toMatchObject({ ok: false });
  });

  it("refuses the alg none spellings and the HS family", async () => {
    const claims = authorizerClaims(authorizer.url, authorizer.clientId, { sub: "victim" });
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    for (const alg of ["none", "None", "NONE", "HS384", "HS512", "PS256", "EdDSA"]) {
      const token = `${b64({ alg, typ: "JWT" })}.${b64(claims)}.${Buffer.from("x").toString("base64url")}`;
      expect(await verifyAccessToken(token, settings)).toEqual({ ok: false, reason: "algorithm_not_allowed" });
    }
    expect(await verifyAccessToken(hs256(claims, "any secret"), settings)).toEqual({ ok: false, reason: "algorithm_not_allowed" });
  });

  it("refuses a header without alg", async () => {
    const token = await authorizer.mintAccessToken({ sub: "user-123" });
    const [, p, s] = token.split(".");
    const header = Buffer.from(JSON.stringify({ typ: "JWT" })).toString("base64url");
    expect(await verifyAccessToken(`${header}.${p}.${s}`, settings)).toEqual({ ok: false, reason: "algorithm_not_allowed" });
  });

  it("refuses a tampered expiry (extending one's own token)", async () => {
    const token = await authorizer.mintAccessToken({ sub: "user-123", issuedAt: Math.floor(Date.now() / 1000) - 7200 });
    const extended = tamperPayload(token, { exp: Math.floor(Date.now() / 1000) + 3600 });
    expect(await verifyAccessToken(extended, settings)).toEqual({ ok: false, reason: "invalid_signature" });
  });

  it("refuses a token without token_type", async () => {
    const token = await authorizer.mintAccessToken({ sub: "user-123", extraClaims: { token_type: undefined } });
    expect(await verifyAccessToken(token, settings)).toEqual({ ok: false, reason: "wrong_token_type" });
  });

  it("refuses an empty or non-string sub, a missing iat and an iat in the future", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const extraClaims of [{ sub: "" }, { sub: 42 }, { iat: undefined }, { iat: now + 120, exp: now + 1800 }, { exp: "tomorrow" }]) {
      const token = await signClaims(
        authorizer.privateJwks(),
        authorizerClaims(authorizer.url, authorizer.clientId, { sub: "x", extraClaims }),
      );
      expect(await verifyAccessToken(token, settings), JSON.stringify(extraClaims)).toEqual({ ok: false, reason: "invalid_claims" });
    }
  });

  it("refuses a token whose lifetime exceeds the maximum (exp 1e20, iat in the year 2000)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = (extraClaims: Record<string, unknown>) =>
      signClaims(authorizer.privateJwks(), authorizerClaims(authorizer.url, authorizer.clientId, { sub: "x", extraClaims }));
    expect(await verifyAccessToken(await sign({ iat: now, exp: 1e20 }), settings)).toEqual({ ok: false, reason: "lifetime_too_long" });
    expect(await verifyAccessToken(await sign({ iat: 946_684_800, exp: now + 600 }), settings)).toEqual({
      ok: false,
      reason: "lifetime_too_long",
    });
    // The default maximum is a day; a configured one is honoured.
    expect(await verifyAccessToken(await sign({ iat: now, exp: now + 86_400 }), settings)).toMatchObject({ ok: true });
    expect(await verifyAccessToken(await sign({ iat: now, exp: now + 86_401 }), settings)).toEqual({
      ok: false,
      reason: "lifetime_too_long",
    });
    expect(await verifyAccessToken(await sign({ iat: now, exp: now + 3600 }), { ...settings, maxLifetimeSeconds: 1800 })).toEqual({
      ok: false,
      reason: "lifetime_too_long",
    });
  });

  it("refuses subjects Authorizer never issues: invitation placeholders and odd shapes", async () => {
    for (const sub of [
      "pending:cm3x9k2a0000abcd1234efgh",
      "pending:",
      "a:b",
      "auth-x ",
      " auth-x",
      "a/b",
      "x".repeat(129),
      "ä",
      "-leading-dash",
    ]) {
      const token = await authorizer.mintAccessToken({ sub });
      expect(await verifyAccessToken(token, settings), sub).toEqual({ ok: false, reason: "invalid_subject" });
    }
    for (const sub of ["3f2b8c1e-9a7d-4e2f-8b1c-0d9e8f7a6b5c", "auth-demo-admin-acme", "auth-cm3x9k2a0000abcd1234efgh"]) {
      expect(await verifyAccessToken(await authorizer.mintAccessToken({ sub }), settings), sub).toMatchObject({ ok: true, sub });
    }
  });

  it("refuses a missing aud or iss", async () => {
    const mint = (extraClaims: Record<string, unknown>) => authorizer.mintAccessToken({ sub: "x", extraClaims });
    expect(await verifyAccessToken(await mint({ aud: undefined }), settings)).toEqual({ ok: false, reason: "wrong_audience" });
    expect(await verifyAccessToken(await mint({ aud: ["a", "b"] }), settings)).toEqual({ ok: false, reason: "wrong_audience" });
    expect(await verifyAccessToken(await mint({ iss: undefined }), settings)).toEqual({ ok: false, reason: "wrong_issuer" });
    expect(await verifyAccessToken(await mint({ iss: `${authorizer.url}.evil.example` }), settings)).toEqual({
      ok: false,
      reason: "wrong_issuer",
    });
  });

  it("refuses a kid that names no published key", async () => {
    const key = await importJWK(authorizer.privateJwks().primary, "RS256");
    const token = await new SignJWT(authorizerClaims(authorizer.url, authorizer.clientId, { sub: "x" }))
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "not-published" })
      .sign(key);
    expect(await verifyAccessToken(token, settings)).toEqual({ ok: false, reason: "unknown_key" });
  });
});

// A JWKS server whose answer the test controls, for key sets the stand-in never publishes.
async function serveJwks(body: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("key sets other than the stand-in's", () => {
  it("verifies ES256 with an EC key published without alg", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), use: "sig" };
    const jwks = await serveJwks(() => JSON.stringify({ keys: [jwk] }));
    try {
      const token = await new SignJWT(authorizerClaims(jwks.url, "ec-client", { sub: "ec-user" }))
        .setProtectedHeader({ alg: "ES256", typ: "JWT" })
        .sign(privateKey);
      expect(await verifyAccessToken(token, { url: jwks.url, clientId: "ec-client" })).toMatchObject({ ok: true, sub: "ec-user" });
      // A P-256 key is no candidate for ES384 or RS256 tokens.
      const { privateKey: p384 } = await generateKeyPair("ES384");
      const es384 = await new SignJWT(authorizerClaims(jwks.url, "ec-client", { sub: "ec-user" }))
        .setProtectedHeader({ alg: "ES384" })
        .sign(p384);
      expect(await verifyAccessToken(es384, { url: jwks.url, clientId: "ec-client" })).toEqual({ ok: false, reason: "unknown_key" });
    } finally {
      await jwks.close();
    }
  });

  it("never uses an HMAC secret published in the JWKS (Authorizer <= 2.2.0)", async () => {
    const secret = "published-hmac-secret";
    const jwks = await serveJwks(() =>
      JSON.stringify({ keys: [{ kty: "oct", kid: "c", alg: "HS256", use: "sig", k: Buffer.from(secret).toString("base64url") }] }),
    );
    try {
      const token = hs256(authorizerClaims(jwks.url, "c", { sub: "x" }), secret);
      expect(await verifyAccessToken(token, { url: jwks.url, clientId: "c" })).toEqual({ ok: false, reason: "algorithm_not_allowed" });
      // An RS256 token against a JWKS with no usable key: unknown_key, not a crash.
      const rs = await signClaims(authorizer.privateJwks(), authorizerClaims(jwks.url, "c", { sub: "x" }));
      expect(await verifyAccessToken(rs, { url: jwks.url, clientId: "c" })).toEqual({ ok: false, reason: "unknown_key" });
    } finally {
      await jwks.close();
    }
  });

  it("skips an unusable JWK and still verifies with the good one", async () => {
    const good = publicJwk(authorizer.privateJwks().primary, "good");
    const jwks = await serveJwks(() =>
      JSON.stringify({ keys: [{ kty: "RSA", alg: "RS256", n: "AA", e: "AQAB" }, { kty: "RSA", use: "enc", n: "x", e: "AQAB" }, good] }),
    );
    try {
      const token = await mintWithIssuer(jwks.url);
      expect(await verifyAccessToken(token, { url: jwks.url, clientId: authorizer.clientId })).toMatchObject({ ok: true });
    } finally {
      await jwks.close();
    }
  });
});

function mintWithIssuer(issuer: string) {
  return signClaims(authorizer.privateJwks(), authorizerClaims(issuer, authorizer.clientId, { sub: "user-123" }));
}
