// Turns the Authorization header into a principal, or refuses:
//   no/garbled credentials, bad token, unknown/revoked/expired key → 401 (with WWW-Authenticate);
//   valid token of an unprovisioned or inactive person → 403;
//   JWKS or database unreachable → 503 (never 401, never a hang).
// Results are values until the very end (`AuthOutcome`), mapped to HTTP in one place.
import type { Database } from "../db/client.js";
import type { Config } from "../env.js";
import { ApiError, unavailable } from "../lib/errors.js";
import { hashApiKey, looksLikeApiKey } from "./api-key-format.js";
import { JwksUnavailableError, verifyAccessToken, type TokenVerification } from "./jwt.js";
import { principalForApiKey, principalForSubject, type Principal } from "./principal.js";

export type AuthOutcome =
  | { ok: true; principal: Principal; method: "token" | "api_key" }
  | { ok: false; status: 401 | 403; message: string; tokenError?: string };

const MISSING: AuthOutcome = {
  ok: false,
  status: 401,
  message: "Authentication is required: send Authorization: Bearer <token or API key>.",
};

export async function authenticate(
  authorization: string | undefined,
  config: Config,
  db: () => Database,
  now = Date.now(),
): Promise<AuthOutcome> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) return MISSING;
  const credential = match[1]!;
  return credential.startsWith("apk_") ? authenticateApiKey(credential, db, now) : authenticateToken(credential, config, db);
}

async function authenticateApiKey(key: string, db: () => Database, now: number): Promise<AuthOutcome> {
  const invalid: AuthOutcome = { ok: false, status: 401, message: "The API key is not valid.", tokenError: "invalid_token" };
  if (!looksLikeApiKey(key)) return invalid;
  const principal = await principalForApiKey(db(), await hashApiKey(key), now);
  if (!principal) return invalid;
  if (principal.revokedAt !== null && principal.revokedAt <= now) {
    return { ok: false, status: 401, message: "The API key has been revoked.", tokenError: "invalid_token" };
  }
  if (principal.expiresAt !== null && principal.expiresAt <= now) {
    return { ok: false, status: 401, message: "The API key has expired.", tokenError: "invalid_token" };
  }
  return { ok: true, principal, method: "api_key" };
}

const TOKEN_MESSAGES: Record<Exclude<TokenVerification, { ok: true }>["reason"], string> = {
  malformed: "The access token is malformed.",
  expired: "The access token has expired.",
  invalid_signature: "The access token's signature is not valid.",
  wrong_issuer: "The access token was not issued by this service's Authorizer.",
  wrong_audience: "The access token is for another client.",
  wrong_token_type: "Only access tokens are accepted (not ID tokens).",
  algorithm_not_allowed: "The access token's signing algorithm is not accepted.",
  unknown_key: "The access token was signed by an unknown key.",
  invalid_claims: "The access token's claims are not valid.",
  lifetime_too_long: "The access token's lifetime is longer than this service accepts.",
  invalid_subject: "The access token's subject is not a user id this service accepts.",
};

async function authenticateToken(token: string, config: Config, db: () => Database): Promise<AuthOutcome> {
  const settings = {
    url: config.AUTHORIZER_URL,
    clientId: config.AUTHORIZER_CLIENT_ID,
    maxLifetimeSeconds: config.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
  };
  let verification: TokenVerification;
  try {
    verification = await verifyAccessToken(token, settings);
  } catch (err) {
    if (err instanceof JwksUnavailableError) {
      throw unavailable("The identity provider's signing keys cannot be fetched right now.", 5, err);
    }
    throw err;
  }
  if (!verification.ok) {
    return { ok: false, status: 401, message: TOKEN_MESSAGES[verification.reason], tokenError: "invalid_token" };
  }
  const principal = await principalForSubject(db(), verification.sub);
  if (!principal) {
    return { ok: false, status: 403, message: "This user is not provisioned in the platform; ask an administrator to invite you." };
  }
  if (principal.tokensValidAfter !== null && verification.issuedAt * 1000 < principal.tokensValidAfter) {
    return { ok: false, status: 401, message: "The access token has been revoked; sign in again.", tokenError: "invalid_token" };
  }
  if (principal.status !== "ACTIVE") {
    return { ok: false, status: 403, message: `This user's account is ${principal.status.toLowerCase().replaceAll("_", " ")}.` };
  }
  return { ok: true, principal, method: "token" };
}

export function refusal(outcome: Extract<AuthOutcome, { ok: false }>): ApiError {
  const headers: Record<string, string> =
    outcome.status === 401
      ? {
          "WWW-Authenticate": outcome.tokenError
            ? `Bearer realm="automation-platform", error="${outcome.tokenError}"`
            : 'Bearer realm="automation-platform"',
        }
      : {};
  return new ApiError(outcome.status === 401 ? "unauthorized" : "forbidden", outcome.message, { headers });
}
