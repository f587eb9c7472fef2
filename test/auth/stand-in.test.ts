// The local Authorizer stand-in: it must look like Authorizer from the outside (JWKS, discovery, token
// shape, webhook body and signature), mint from serialised keys, and keep its keys across restarts.
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mintWithPrivateJwks, startAuthorizerStandIn, type AuthorizerStandIn } from "../../dev/authorizer/index.js";
import { clearJwksCache, verifyAccessToken } from "../../src/auth/jwt.js";

let authorizer: AuthorizerStandIn;

beforeAll(async () => {
  authorizer = await startAuthorizerStandIn({ webhookSecret: "whsec-test" });
});
afterAll(() => authorizer.close());
beforeEach(() => clearJwksCache());

const getJson = async (path: string) => {
  const res = await fetch(`${authorizer.url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("published endpoints", () => {
  it("serves on 127.0.0.1 with the default client id", () => {
    expect(authorizer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(authorizer.clientId).toBe("local-client");
  });

  it("publishes public RSA keys only, shaped like Authorizer's JWKS", async () => {
    const { status, body } = await getJson("/.well-known/jwks.json");
    expect(status).toBe(200);
    const keys = body.keys as Record<string, unknown>[];
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]!).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
    expect(keys[0]).toMatchObject({ kty: "RSA", kid: "local-client", alg: "RS256", use: "sig", e: "AQAB" });
  });

  it("publishes discovery and health", async () => {
    const discovery = await getJson("/.well-known/openid-configuration");
    expect(discovery.body).toMatchObject({
      issuer: authorizer.url,
      jwks_uri: `${authorizer.url}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ["RS256"],
    });
    expect(await getJson("/health")).toEqual({ status: 200, body: { status: "ok" } });
    expect((await getJson("/nope")).status).toBe(404);
  });
});

describe("tokens", () => {
  it("look like Authorizer's access tokens: no kid, Authorizer's claims", async () => {
    const token = await authorizer.mintAccessToken({ sub: "auth-user-1", email: "u@example.test" });
    expect(decodeProtectedHeader(token)).toEqual({ alg: "RS256", typ: "JWT" });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: authorizer.url,
      aud: "local-client",
      sub: "auth-user-1",
      token_type: "access_token",
      scope: ["openid", "email", "profile"],
      roles: ["user"],
      allowed_roles: ["user"],
      login_method: "basic_auth",
    });
    expect(typeof claims.nonce).toBe("string");
    expect(claims.exp! - claims.iat!).toBe(1800);
    expect(claims).not.toHaveProperty("email"); // profile fields belong to the ID token
  });

  it("mint ID tokens with profile fields", async () => {
    const claims = decodeJwt(await authorizer.mintAccessToken({ sub: "s", email: "u@example.test", tokenType: "id_token" }));
    expect(claims).toMatchObject({ token_type: "id_token", email: "u@example.test" });
  });

  it("can be minted in another process from privateJwks() (JSON round trip)", async () => {
    const keys = JSON.parse(JSON.stringify(authorizer.privateJwks())) as object;
    const token = await mintWithPrivateJwks(keys, authorizer.url, authorizer.clientId, { sub: "elsewhere", expiresInSeconds: 60 });
    expect(await verifyAccessToken(token, { url: authorizer.url, clientId: authorizer.clientId })).toMatchObject({
      ok: true,
      sub: "elsewhere",
    });
    await expect(mintWithPrivateJwks({ primary: { kty: "RSA" } }, authorizer.url, "c", { sub: "x" })).rejects.toThrow(/private key set/);
  });

  it("refuses to sign with a secondary key before rotate()", async () => {
    const fresh = await startAuthorizerStandIn();
    try {
      await expect(fresh.mintAccessToken({ sub: "x", signWith: "secondary" })).rejects.toThrow(/rotate/);
    } finally {
      await fresh.close();
    }
  });
});

describe("webhooks", () => {
  it("signWebhookBody is the lowercase hex HMAC-SHA256 of the raw body", () => {
    const raw = '{"event_name":"user.login","user":{"id":"u1","email":"ü@example.test"}}';
    const expected = createHmac("sha256", "whsec-test").update(Buffer.from(raw, "utf8")).digest("hex");
    expect(authorizer.signWebhookBody(raw)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it("sendWebhook POSTs Authorizer's body, signed over the exact bytes sent", async () => {
    const received: { headers: Record<string, unknown>; raw: Buffer }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/webhooks/authorizer`;
      const user = { id: "auth-1", email: "new@example.test", email_verified: true, roles: ["user"], created_at: 1_700_000_000 };
      expect((await authorizer.sendWebhook(target, { event_name: "user.login", user })).status).toBe(204);
      expect((await authorizer.sendWebhook(target, { event_name: "user.deleted", user })).status).toBe(204);

      const [login, deleted] = received;
      expect(login!.headers["content-type"]).toBe("application/json");
      const signature = createHmac("sha256", "whsec-test").update(login!.raw).digest("hex");
      expect(login!.headers["x-authorizer-signature"]).toBe(signature);
      const body = JSON.parse(login!.raw.toString("utf8"));
      expect(body).toMatchObject({ event_name: "user.login", user, auth_recipe: "basic_auth" });
      expect(typeof body.webhook_id).toBe("string");
      expect(typeof body.event_description).toBe("string");
      expect(JSON.parse(deleted!.raw.toString("utf8"))).not.toHaveProperty("auth_recipe");
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe("persisted keys (keyFile)", () => {
  it("reuses keys, port and issuer across restarts, and writes {url, clientId} next to the keys", async () => {
    const dir = mkdtempSync(join(tmpdir(), "authorizer-stand-in-"));
    const keyFile = join(dir, "authorizer-keys.json");
    try {
      const first = await startAuthorizerStandIn({ keyFile, clientId: "persisted" });
      const token = await first.mintAccessToken({ sub: "survivor" });
      const firstUrl = first.url;
      await first.close();

      expect(statSync(keyFile).mode & 0o077).toBe(0); // private keys: owner-only
      expect(JSON.parse(readFileSync(join(dir, "authorizer.json"), "utf8"))).toEqual({ url: firstUrl, clientId: "persisted" });

      const second = await startAuthorizerStandIn({ keyFile, clientId: "persisted" });
      try {
        expect(second.url).toBe(firstUrl);
        expect(second.privateJwks()).toEqual(JSON.parse(readFileSync(keyFile, "utf8")));
        clearJwksCache();
        expect(await verifyAccessToken(token, { url: second.url, clientId: "persisted" })).toMatchObject({ ok: true, sub: "survivor" });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
