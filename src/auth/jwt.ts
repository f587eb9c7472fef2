// Verification of Authorizer access tokens (behaviour read from Authorizer 2.4's token code). Web APIs
// only: this runs in workerd.
//
// Two Authorizer quirks shape this file:
// - Its tokens have no `kid`, and during a key rotation its JWKS lists two keys of the same alg. jose's
//   createLocalJWKSet/createRemoteJWKSet then fail with "multiple matching keys", so we select the
//   candidate keys ourselves (jwks.ts) and try each one with jwtVerify.
// - Up to 2.2.0 it published its HMAC secret in the JWKS. The accepted algorithms are therefore pinned
//   to RS*/ES*: `alg: none`, HS* (including HS256 "signed" with the public key's bytes) never verify.
//
// A bad token is never an exception: the result says why it was refused. Only an unreachable JWKS
// throws (JwksUnavailableError), which the caller turns into 503 `unavailable`, not 401.
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from "jose";
import {
  ALLOWED_ALGORITHMS,
  DEFAULT_JWKS_FETCH_TIMEOUT_MS,
  candidateKeys,
  getKeySet,
  refetchAfterMiss,
  type AllowedAlgorithm,
} from "./jwks.js";
import { isAuthorizerSubject } from "./invitations.js";

export { clearJwksCache, JwksUnavailableError } from "./jwks.js";
export type { JWTPayload };

export interface AuthorizerSettings {
  /** AUTHORIZER_URL, e.g. https://auth.example.com (trailing slashes are ignored). */
  url: string;
  /** AUTHORIZER_CLIENT_ID: the tokens' `aud`. */
  clientId: string;
  /** Bound on one JWKS fetch, body included. Default 3000. */
  fetchTimeoutMs?: number;
  /** Longest lifetime (`exp - iat`, seconds) accepted. Default DEFAULT_MAX_TOKEN_LIFETIME_SECONDS. */
  maxLifetimeSeconds?: number;
}

export type TokenRejection =
  | "malformed"
  | "expired"
  | "invalid_signature"
  | "wrong_issuer"
  | "wrong_audience"
  | "wrong_token_type"
  | "algorithm_not_allowed"
  | "unknown_key"
  | "invalid_claims"
  | "lifetime_too_long"
  | "invalid_subject";

export type TokenVerification =
  | { ok: true; sub: string /** iat, Unix seconds */; issuedAt: number /** exp, Unix seconds */; expiresAt: number; claims: JWTPayload }
  | { ok: false; reason: TokenRejection };

/** Seconds of clock skew tolerated on exp/iat. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** AUTH_MAX_TOKEN_LIFETIME_SECONDS' default: a day (Authorizer issues 30-minute access tokens). */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;

/**
 * Verifies an Authorizer access token against `${url}/.well-known/jwks.json`.
 * @param now the current time in epoch milliseconds (like Date.now); drives both the claim checks and
 *   the JWKS cache's clock, so tests can move time.
 * @throws JwksUnavailableError when the JWKS cannot be fetched or parsed in time.
 */
export async function verifyAccessToken(
  token: string,
  settings: AuthorizerSettings,
  now: () => number = Date.now,
): Promise<TokenVerification> {
  const issuer = settings.url.trim().replace(/\/+$/, "");

  // Reject what is not even a JWT before touching the network.
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
    decodeJwt(token);
  } catch {
    return refuse("malformed");
  }
  const alg = header.alg;
  if (!isAllowedAlgorithm(alg)) return refuse("algorithm_not_allowed");

  const jwksUrl = `${issuer}/.well-known/jwks.json`;
  const timeoutMs = settings.fetchTimeoutMs ?? DEFAULT_JWKS_FETCH_TIMEOUT_MS;
  const options: JWTVerifyOptions = {
    algorithms: [...ALLOWED_ALGORITHMS],
    issuer: [issuer, `${issuer}/`],
    audience: settings.clientId, // a string `aud` must equal it; an array `aud` must contain it
    requiredClaims: ["exp", "iat", "sub"],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    currentDate: new Date(now()),
  };
  const maxLifetime = settings.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const tryEachKey = (keys: CryptoKey[]) => tryKeys(token, keys, options, maxLifetime);

  const keySet = await getKeySet(jwksUrl, timeoutMs, now);
  let result = await tryEachKey(await candidateKeys(keySet, alg, header.kid));
  if (result === "no_key" || result === "no_signature_match") {
    // Perhaps Authorizer rotated its keys since we cached them.
    const refreshed = await refetchAfterMiss(jwksUrl, keySet, timeoutMs, now);
    if (refreshed) result = await tryEachKey(await candidateKeys(refreshed, alg, header.kid));
  }
  if (result === "no_key") return refuse("unknown_key");
  if (result === "no_signature_match") return refuse("invalid_signature");
  return result;
}

/** The first key whose signature checks decides the outcome (claims are only read after that). */
async function tryKeys(
  token: string,
  keys: CryptoKey[],
  options: JWTVerifyOptions,
  maxLifetimeSeconds: number,
): Promise<TokenVerification | "no_key" | "no_signature_match"> {
  if (keys.length === 0) return "no_key";
  for (const key of keys) {
    try {
      const { payload } = await jwtVerify(token, key, options);
      return checkAccessToken(payload, options.currentDate as Date, maxLifetimeSeconds);
    } catch (err) {
      // Wrong key: a signature mismatch, or a TypeError when jose finds the key unfit (e.g. < 2048 bits).
      if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof TypeError) continue;
      return refuse(reasonFor(err));
    }
  }
  return "no_signature_match";
}

/** What jose does not check: the token type, a usable `sub`, an `iat` not in the future, a bounded
 * lifetime (a token "valid" for centuries, or issued decades ago and still unexpired, is refused). */
function checkAccessToken(claims: JWTPayload, currentDate: Date, maxLifetimeSeconds: number): TokenVerification {
  const { sub, iat, exp } = claims;
  if (typeof sub !== "string" || sub === "" || typeof iat !== "number" || typeof exp !== "number") return refuse("invalid_claims");
  if (iat > currentDate.getTime() / 1000 + CLOCK_TOLERANCE_SECONDS) return refuse("invalid_claims");
  if (exp - iat > maxLifetimeSeconds) return refuse("lifetime_too_long");
  // An invitation placeholder (`pending:<id>`) or any shape Authorizer never issues is no subject.
  if (!isAuthorizerSubject(sub)) return refuse("invalid_subject");
  // An ID token is signed by the same key for the same audience; only token_type tells them apart.
  if (claims.token_type !== "access_token") return refuse("wrong_token_type");
  return { ok: true, sub, issuedAt: iat, expiresAt: exp, claims };
}

function reasonFor(err: unknown): TokenRejection {
  if (err instanceof errors.JWTExpired) return "expired";
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "iss") return "wrong_issuer";
    if (err.claim === "aud") return "wrong_audience";
    return "invalid_claims";
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return "algorithm_not_allowed";
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return "malformed";
  return "invalid_signature";
}

function isAllowedAlgorithm(alg: unknown): alg is AllowedAlgorithm {
  return ALLOWED_ALGORITHMS.includes(alg as AllowedAlgorithm);
}

function refuse(reason: TokenRejection): TokenVerification {
  return { ok: false, reason };
}
