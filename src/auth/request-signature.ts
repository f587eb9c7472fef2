// Signed requests (issue 8): an API key created with `requireSignature` must sign every request it
// makes, so the bearer key alone (leaked from a log, a proxy or an exported n8n workflow) is not
// enough to act, a body cannot be changed on the way, and a captured request cannot be sent again.
//
//   X-Timestamp: <unix seconds>             within SIGNATURE_WINDOW_SECONDS of the Worker's clock
//   X-Signature: <hex HMAC-SHA256>          over `${X-Timestamp}.${raw body}` ("" for GET, DELETE…)
//
// with the key's signing secret (shown once, at creation; stored sealed under ENCRYPTION_KEY).
// Replays: a signature is spent in Upstash (SET NX, kept a little longer than the window) before the
// request runs; the first use wins. A request that does not succeed gives its signature back, so
// n8n's "Retry On Fail", which resends the same headers, can retry a 503 or a 409 — while a replay of
// a request that succeeded is always refused. Without Upstash no replay can be refused: 503.
import type { Principal } from "./principal.js";
import type { AppContext } from "../http/context.js";
import { config } from "../http/context.js";
import { decryptToken, keyringFor } from "../crypto/token-crypto.js";
import { signingSecretContext } from "./api-key-format.js";
import { importHmacKey, verifyHexHmac } from "./signatures.js";
import { unavailable } from "../lib/errors.js";
import { describeError, writeLog } from "../lib/log.js";
import { upstashRedis, withinUpstashTimeout } from "../lib/upstash.js";

export const SIGNATURE_WINDOW_SECONDS = 300;
/** How long a spent signature is remembered: the window on both sides of a timestamp, plus slack. */
const SPENT_TTL_SECONDS = 2 * SIGNATURE_WINDOW_SECONDS + 60;

export type SignatureCheck = { ok: true; release: () => Promise<void> } | { ok: false; message: string };

// Per isolate: imported HMAC keys by API key id (the sealed secret is part of the cache key, so a
// key whose secret changed is never checked with the old one).
const hmacKeys = new Map<string, Promise<CryptoKey>>();

/**
 * Checks the signature of a request made with a signing key. Returns a refusal (401) for a missing,
 * stale, wrong or replayed signature; throws 503 when replays cannot be checked (Upstash).
 */
export async function checkRequestSignature(c: AppContext, principal: Extract<Principal, { kind: "api_key" }>): Promise<SignatureCheck> {
  const sealed = principal.signingSecret;
  if (!sealed) return { ok: true, release: async () => {} };
  const timestamp = c.req.header("x-timestamp")?.trim() ?? "";
  const signature = c.req.header("x-signature")?.trim().toLowerCase() ?? "";
  if (!timestamp || !signature) {
    return { ok: false, message: "This API key must sign its requests: send X-Timestamp and X-Signature." };
  }
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) {
    return {
      ok: false,
      message: `X-Timestamp must be the current time in Unix seconds (within ${SIGNATURE_WINDOW_SECONDS} s of the server's clock).`,
    };
  }
  if (!/^[0-9a-f]{64}$/.test(signature)) {
    return { ok: false, message: "X-Signature must be the hex HMAC-SHA256 of `<X-Timestamp>.<raw body>`." };
  }
  const cfg = config(c);
  // The body guard (http/json-body.ts) cached the exact text received; no body (GET…) signs "".
  const body = (await (c.req.bodyCache as { text?: Promise<string> }).text) ?? "";
  const cacheKey = `${principal.keyId}:${sealed}`;
  let key = hmacKeys.get(cacheKey);
  if (!key) {
    key = decryptToken(await keyringFor(cfg), sealed, signingSecretContext(principal.keyId)).then(importHmacKey);
    key.catch(() => hmacKeys.delete(cacheKey));
    if (hmacKeys.size >= 1_000) hmacKeys.clear();
    hmacKeys.set(cacheKey, key);
  }
  const valid = await verifyHexHmac(await key, `${timestamp}.${body}`, signature);
  if (!valid) return { ok: false, message: "X-Signature does not match the request (HMAC-SHA256 of `<X-Timestamp>.<raw body>`)." };

  const redis = upstashRedis(cfg);
  if (!redis) throw unavailable("Signed requests need the replay store (Upstash), which is not configured.", 30);
  const spentKey = `${cfg.QUOTA_KEY_PREFIX}spent-signature:${principal.keyId}:${signature}`;
  let first: unknown;
  try {
    first = await withinUpstashTimeout(cfg.UPSTASH_TIMEOUT_MS, redis.set(spentKey, "1", { nx: true, ex: SPENT_TTL_SECONDS }));
  } catch (err) {
    throw unavailable("The replay check of signed requests is unavailable; retry shortly.", 5, err);
  }
  if (first !== "OK") return { ok: false, message: "This signature was already used: sign each request anew (replays are refused)." };
  return {
    ok: true,
    release: async () => {
      try {
        await withinUpstashTimeout(cfg.UPSTASH_TIMEOUT_MS, redis.del(spentKey));
      } catch (err) {
        writeLog("warn", "signature_release_failed", { keyId: principal.keyId, error: describeError(err) });
      }
    },
  };
}
