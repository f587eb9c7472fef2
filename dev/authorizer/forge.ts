// Attacker tooling for the security tests: tokens that must never be accepted. Each one isolates one
// mistake a verifier can make (see /work/shared/reference/authorizer.md):
//   alg_none            header alg "none", empty signature
//   hs256_public_pem    HS256, HMAC keyed with the published public key as PEM (the classic RS→HS
//                       confusion: a verifier that lets the token pick the algorithm accepts it)
//   hs256_public_jwk    the same, keyed with the JWKS entry's JSON bytes (what a verifier trusting a
//                       leaked/"oct" JWKS entry would use)
//   tampered_payload    a real signature over different claims (sub and roles swapped afterwards)
//   unknown_key         RS256 signed by a key Authorizer never published (no kid, like real tokens)
//   es256_unknown_key   ES256 signed by an EC key, while the JWKS has RSA keys only
//   wrong_issuer        real key, iss of another Authorizer
//   wrong_audience      real key, aud of another client
//   id_token            real key, token_type "id_token"
//   expired             real key, expired an hour ago (well past any clock tolerance)
//   missing_sub / missing_exp   real key, the claim left out
import { createHmac } from "node:crypto";
import { exportSPKI, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import { asPrivateKeySet, authorizerClaims, publicJwk, signClaims, SIGNING_ALG, type MintOptions } from "./tokens.js";

/** What forging needs: an AuthorizerStandIn satisfies it, or `{url, clientId, privateJwks: () => keys}`
 * in a process that only has the serialised keys. */
export interface ForgeTarget {
  url: string;
  clientId: string;
  privateJwks(): object;
}

export const FORGED_KINDS = [
  "alg_none",
  "hs256_public_pem",
  "hs256_public_jwk",
  "tampered_payload",
  "unknown_key",
  "es256_unknown_key",
  "wrong_issuer",
  "wrong_audience",
  "id_token",
  "expired",
  "missing_sub",
  "missing_exp",
] as const;
export type ForgedKind = (typeof FORGED_KINDS)[number];

/** A token of the given kind for `sub` (default "forged-subject"), otherwise shaped like a real one. */
export async function mintForged(target: ForgeTarget, kind: ForgedKind, opts: Partial<MintOptions> = {}): Promise<string> {
  const mint: MintOptions = { sub: "forged-subject", ...opts };
  const claims = (overrides: Record<string, unknown> = {}) =>
    authorizerClaims(target.url, target.clientId, { ...mint, extraClaims: { ...mint.extraClaims, ...overrides } });
  const keys = target.privateJwks();
  const now = Math.floor(Date.now() / 1000);
  switch (kind) {
    case "alg_none":
      return `${b64json({ alg: "none", typ: "JWT" })}.${b64json(claims())}.`;
    case "hs256_public_pem":
      return hs256(claims(), await publicKeyPem(keys));
    case "hs256_public_jwk":
      return hs256(claims(), JSON.stringify(publicJwk(asPrivateKeySet(keys).primary, target.clientId)));
    case "tampered_payload":
      return tamperPayload(await signClaims(keys, claims()), { sub: `${mint.sub}-elevated`, roles: ["admin"], allowed_roles: ["admin"] });
    case "unknown_key":
      return new SignJWT(claims()).setProtectedHeader({ alg: SIGNING_ALG, typ: "JWT" }).sign((await attackerKeys()).rsa);
    case "es256_unknown_key":
      return new SignJWT(claims()).setProtectedHeader({ alg: "ES256", typ: "JWT" }).sign((await attackerKeys()).ec);
    case "wrong_issuer":
      return signClaims(keys, claims({ iss: "https://auth.attacker.example" }));
    case "wrong_audience":
      return signClaims(keys, claims({ aud: `${target.clientId}-other` }));
    case "id_token":
      return signClaims(keys, authorizerClaims(target.url, target.clientId, { ...mint, tokenType: "id_token" }));
    case "expired":
      return signClaims(keys, claims({ iat: now - 3600, exp: now - 1800 }));
    case "missing_sub":
      return signClaims(keys, claims({ sub: undefined }));
    case "missing_exp":
      return signClaims(keys, claims({ exp: undefined }));
  }
}

/** Replaces claims in a token's payload and keeps its original header and signature. */
export function tamperPayload(token: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  return `${header}.${b64json({ ...claims, ...changes })}.${signature}`;
}

/** An HS256 token whose HMAC key is the given bytes (e.g. public key material). */
export function hs256(claims: Record<string, unknown>, secret: string | Uint8Array): string {
  const signingInput = `${b64json({ alg: "HS256", typ: "JWT" })}.${b64json(claims)}`;
  return `${signingInput}.${createHmac("sha256", secret).update(signingInput).digest("base64url")}`;
}

/** The stand-in's primary public key as SPKI PEM, as an attacker would download and convert it. */
export async function publicKeyPem(privateJwks: object): Promise<string> {
  const { kty, n, e } = asPrivateKeySet(privateJwks).primary;
  const key = await importJWK({ kty, n, e } as JWK, SIGNING_ALG, { extractable: true });
  return exportSPKI(key as CryptoKey);
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

let attacker: Promise<{ rsa: CryptoKey; ec: CryptoKey }> | undefined;
function attackerKeys() {
  attacker ??= Promise.all([generateKeyPair("RS256"), generateKeyPair("ES256")]).then(([rsa, ec]) => ({
    rsa: rsa.privateKey,
    ec: ec.privateKey,
  }));
  return attacker;
}
