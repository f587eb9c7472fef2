// The JWKS cache behind verifyAccessToken: rotation, refetch-on-unknown-key with its cooldown, shared
// in-flight fetches, TTL, and an unreachable JWKS. Fetches are counted at the stand-in; time is moved
// through verifyAccessToken's `now`, never waited for.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAuthorizerStandIn, type AuthorizerStandIn } from "../../dev/authorizer/index.js";
import { mintForged } from "../../dev/authorizer/forge.js";
import { JWKS_REFETCH_COOLDOWN_MS, JWKS_TTL_MS } from "../../src/auth/jwks.js";
import { clearJwksCache, JwksUnavailableError, verifyAccessToken, type AuthorizerSettings } from "../../src/auth/jwt.js";

let authorizer: AuthorizerStandIn;
let settings: AuthorizerSettings;
let clock: number;
const now = () => clock;
const verify = (token: string, s: AuthorizerSettings = settings) => verifyAccessToken(token, s, now);
const fetches = () => authorizer.jwksRequestCount();

beforeAll(async () => {
  authorizer = await startAuthorizerStandIn({ clientId: "cache-test-client" });
  settings = { url: authorizer.url, clientId: authorizer.clientId, fetchTimeoutMs: 2_000 };
});
afterAll(() => authorizer.close());
beforeEach(() => {
  clearJwksCache();
  clock = Date.now();
});
afterEach(() => authorizer.setJwksAvailable(true));

const mint = (opts: { signWith?: "primary" | "secondary" } = {}) =>
  authorizer.mintAccessToken({ sub: "user-1", issuedAt: Math.floor(clock / 1000), ...opts });

describe("rotation", () => {
  it("verifies tokens of both keys while the JWKS lists a primary and a secondary of the same alg", async () => {
    await authorizer.rotate();
    const jwks = (await (await fetch(`${authorizer.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string; alg: string }[] };
    expect(jwks.keys.map((k) => [k.kid, k.alg])).toEqual([
      ["cache-test-client", "RS256"],
      ["cache-test-client-secondary", "RS256"],
    ]);
    expect(await verify(await mint({ signWith: "primary" }))).toMatchObject({ ok: true, sub: "user-1" });
    expect(await verify(await mint({ signWith: "secondary" }))).toMatchObject({ ok: true, sub: "user-1" });
  });

  it("picks up a key published after the JWKS was cached (refetch on unknown key)", async () => {
    expect(await verify(await mint())).toMatchObject({ ok: true });
    const before = fetches();
    await authorizer.rotate(); // new secondary, not in our cached copy
    expect(await verify(await mint({ signWith: "secondary" }))).toMatchObject({ ok: true });
    expect(fetches()).toBe(before + 1);
    // The refreshed set is cached: more tokens of either key cost no fetch.
    expect(await verify(await mint({ signWith: "secondary" }))).toMatchObject({ ok: true });
    expect(await verify(await mint({ signWith: "primary" }))).toMatchObject({ ok: true });
    expect(fetches()).toBe(before + 1);
  });

  it("clearJwksCache() forgets the cached keys", async () => {
    await verify(await mint());
    const before = fetches();
    clearJwksCache();
    await verify(await mint());
    expect(fetches()).toBe(before + 1);
  });
});

describe("refetch cooldown", () => {
  it("a stream of tokens signed by unknown keys costs one refetch per cooldown, not one per token", async () => {
    expect(await verify(await mint())).toMatchObject({ ok: true });
    const before = fetches();
    const forged = await mintForged(authorizer, "unknown_key");
    const es256 = await mintForged(authorizer, "es256_unknown_key");

    for (let i = 0; i < 10; i++) expect(await verify(forged)).toEqual({ ok: false, reason: "invalid_signature" });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => verify(i % 2 ? forged : es256)));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(fetches()).toBe(before + 1);

    clock += JWKS_REFETCH_COOLDOWN_MS - 1_000;
    await verify(forged);
    expect(fetches()).toBe(before + 1);

    clock += 2_000; // cooldown over: one more refetch, then quiet again
    await Promise.all(Array.from({ length: 10 }, () => verify(forged)));
    expect(fetches()).toBe(before + 2);
  });

  it("a rotation inside the cooldown is picked up once the cooldown ends", async () => {
    await verify(await mintForged(authorizer, "unknown_key")); // fills the cache and spends the refetch
    const before = fetches();
    await authorizer.rotate();
    const token = await mint({ signWith: "secondary" });
    expect(await verify(token)).toEqual({ ok: false, reason: "invalid_signature" });
    expect(fetches()).toBe(before);
    clock += JWKS_REFETCH_COOLDOWN_MS;
    expect(await verify(token)).toMatchObject({ ok: true });
    expect(fetches()).toBe(before + 1);
  });
});

describe("sharing and TTL", () => {
  it("concurrent verifications on a cold cache share one JWKS fetch", async () => {
    const tokens = await Promise.all(Array.from({ length: 25 }, () => mint()));
    const before = fetches();
    const results = await Promise.all(tokens.map((t) => verify(t)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fetches()).toBe(before + 1);
  });

  it("serves from cache within the TTL and refetches after it", async () => {
    const before = fetches();
    await verify(await mint());
    clock += JWKS_TTL_MS - 1_000;
    await verify(await mint());
    expect(fetches()).toBe(before + 1);
    clock += 2_000;
    await verify(await mint());
    expect(fetches()).toBe(before + 2);
  });

  it("keeps verifying with the cached keys when a TTL refresh fails, and retries after the cooldown", async () => {
    await verify(await mint());
    authorizer.setJwksAvailable(false);
    clock += JWKS_TTL_MS + 1_000;
    const before = fetches();
    expect(await verify(await mint())).toMatchObject({ ok: true }); // refresh failed, stale keys used
    expect(await verify(await mint())).toMatchObject({ ok: true });
    expect(fetches()).toBe(before + 1);
    clock += JWKS_REFETCH_COOLDOWN_MS;
    authorizer.setJwksAvailable(true);
    expect(await verify(await mint())).toMatchObject({ ok: true });
    expect(fetches()).toBe(before + 2);
  });
});

describe("JWKS unavailable with nothing cached", () => {
  it("rejects with JwksUnavailableError when the JWKS answers 503", async () => {
    authorizer.setJwksAvailable(false, "error");
    await expect(verify(await mint())).rejects.toBeInstanceOf(JwksUnavailableError);
  });

  it("rejects with JwksUnavailableError when the JWKS hangs past fetchTimeoutMs", async () => {
    authorizer.setJwksAvailable(false, "hang");
    await expect(verify(await mint(), { ...settings, fetchTimeoutMs: 150 })).rejects.toBeInstanceOf(JwksUnavailableError);
  });

  it("rejects with JwksUnavailableError when nothing listens at AUTHORIZER_URL", async () => {
    const closed = await startAuthorizerStandIn({ clientId: "gone" });
    const token = await closed.mintAccessToken({ sub: "x" });
    await closed.close();
    await expect(verifyAccessToken(token, { url: closed.url, clientId: "gone", fetchTimeoutMs: 1_000 })).rejects.toBeInstanceOf(
      JwksUnavailableError,
    );
  });

  it.each([
    ["JSON without keys", '{"issuer":"x"}'],
    ["keys that is not an array", '{"keys":{}}'],
    ["not JSON", "<html>maintenance</html>"],
  ])("rejects with JwksUnavailableError when the answer is %s", async (_label, body) => {
    const server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(body));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const token = await authorizer.mintAccessToken({ sub: "x" });
      await expect(verifyAccessToken(token, { url, clientId: authorizer.clientId })).rejects.toBeInstanceOf(JwksUnavailableError);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("concurrent callers share the failure and the next request tries again", async () => {
    authorizer.setJwksAvailable(false, "error");
    const before = fetches();
    const token = await mint();
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => verify(token)));
    expect(outcomes.every((o) => o.status === "rejected" && o.reason instanceof JwksUnavailableError)).toBe(true);
    expect(fetches()).toBe(before + 1);
    authorizer.setJwksAvailable(true);
    expect(await verify(token)).toMatchObject({ ok: true });
  });

  it("bad tokens are refused without contacting the JWKS at all", async () => {
    authorizer.setJwksAvailable(false, "hang");
    expect(await verify("not-a-jwt")).toEqual({ ok: false, reason: "malformed" });
    expect(await verify(await mintForged(authorizer, "alg_none"))).toEqual({ ok: false, reason: "algorithm_not_allowed" });
  });
});
