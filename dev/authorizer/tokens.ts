// Minting Authorizer-shaped tokens from serialised private keys, so any process holding the keys (the
// stand-in, a vitest worker, scripts/token.ts) can produce tokens the Worker accepts.
// Shapes follow Authorizer 2.4 (internal/token/jwt.go): header {"alg":"RS256","typ":"JWT"} with no
// `kid`, claims iss/aud/sub/exp/iat/token_type/scope/roles/allowed_roles/login_method/nonce.
import { createHmac, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";

export const SIGNING_ALG = "RS256";
/** Authorizer's default access/ID token lifetime. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 30 * 60;

/** The stand-in's private signing keys as JWK JSON (what keyFile holds and privateJwks() returns). */
export interface PrivateKeySet {
  primary: JWK;
  /** Present after rotate(): published next to the primary, same alg. */
  secondary?: JWK;
}

export interface MintOptions {
  sub: string;
  /** ID tokens only (Authorizer puts profile fields in the ID token, not the access token). */
  email?: string;
  /** Default 1800 (30 minutes). Negative values give an already expired token. */
  expiresInSeconds?: number;
  tokenType?: "access_token" | "id_token";
  /** iat, Unix seconds. Default now. */
  issuedAt?: number;
  /** Merged last: overrides any claim; a claim set to undefined is left out. */
  extraClaims?: Record<string, unknown>;
  signWith?: "primary" | "secondary";
}

export async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { modulusLength: 2048, extractable: true });
  return { ...(await exportJWK(privateKey)), alg: SIGNING_ALG };
}

/** The public half of a private RSA JWK, as Authorizer publishes it (kid = the client id). */
export function publicJwk(privateJwk: JWK, kid: string): JWK {
  return { kty: privateJwk.kty, kid, alg: privateJwk.alg ?? SIGNING_ALG, use: "sig", n: privateJwk.n, e: privateJwk.e };
}

/** Throws unless `value` looks like a PrivateKeySet (it comes from disk or another process). */
export function asPrivateKeySet(value: unknown): PrivateKeySet {
  const isPrivateRsa = (jwk: unknown) =>
    typeof jwk === "object" &&
    jwk !== null &&
    (jwk as JWK).kty === "RSA" &&
    typeof (jwk as JWK).d === "string" &&
    typeof (jwk as JWK).n === "string";
  const set = value as PrivateKeySet | null;
  if (!set || !isPrivateRsa(set.primary) || (set.secondary !== undefined && !isPrivateRsa(set.secondary))) {
    throw new Error("not a private key set: expected {primary: <private RSA JWK>, secondary?: <private RSA JWK>}");
  }
  return set;
}

/** Signs arbitrary claims with one of the key set's keys, Authorizer style (no kid). */
export async function signClaims(
  privateJwks: object,
  claims: Record<string, unknown>,
  signWith: "primary" | "secondary" = "primary",
): Promise<string> {
  const keys = asPrivateKeySet(privateJwks);
  const jwk = signWith === "secondary" ? keys.secondary : keys.primary;
  if (!jwk) throw new Error("no secondary key: call rotate() first");
  const key = await importJWK(jwk, SIGNING_ALG);
  return new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALG, typ: "JWT" }).sign(key);
}

/** The claims of an Authorizer access (or ID) token. */
export function authorizerClaims(issuer: string, clientId: string, opts: MintOptions): Record<string, unknown> {
  const iat = opts.issuedAt ?? Math.floor(Date.now() / 1000);
  const tokenType = opts.tokenType ?? "access_token";
  return {
    iss: issuer.replace(/\/+$/, ""),
    aud: clientId,
    sub: opts.sub,
    iat,
    exp: iat + (opts.expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS),
    token_type: tokenType,
    scope: ["openid", "email", "profile"],
    roles: ["user"],
    allowed_roles: ["user"],
    login_method: "basic_auth",
    nonce: randomUUID(),
    ...(tokenType === "id_token" ? { email: opts.email, email_verified: true } : {}),
    ...opts.extraClaims,
  };
}

/** Mints a token from serialised private keys (PrivateKeySet), without a running stand-in. */
export async function mintWithPrivateJwks(privateJwks: object, issuer: string, clientId: string, opts: MintOptions): Promise<string> {
  return signClaims(privateJwks, authorizerClaims(issuer, clientId, opts), opts.signWith);
}

/** X-Authorizer-Signature: lowercase hex HMAC-SHA256 of the raw body bytes. */
export function hmacSha256Hex(secret: string, rawBody: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("hex");
}
