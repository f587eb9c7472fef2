// API keys: `apk_<prefix>_<secret>`. The prefix (8 base32 characters, 40 bits) is shown in listings
// so people can tell keys apart; the secret is 32 random bytes (256 bits) in base64url. Only the
// SHA-256 of the whole key is stored: a fast hash is right for a high-entropy secret (nothing to
// brute-force), and it lets the lookup be one indexed equality.

const PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const KEY_SHAPE = /^apk_([a-z2-7]{8})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  key: string;
  prefix: string;
  hash: string;
}

export async function generateApiKey(): Promise<GeneratedApiKey> {
  const prefixBytes = crypto.getRandomValues(new Uint8Array(8));
  const prefix = Array.from(prefixBytes, (b) => PREFIX_ALPHABET[b & 31]).join("");
  const secret = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const key = `apk_${prefix}_${secret}`;
  return { key, prefix, hash: await hashApiKey(key) };
}

/** A signing key's HMAC secret (request-signature.ts): 32 random bytes, `sig_<base64url>`. */
export function generateSigningSecret(): string {
  return `sig_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** The additional data a signing secret is sealed with: a sealed secret copied to another key does not open. */
export const signingSecretContext = (keyId: string) => `api_key:${keyId}`;

/** Cheap shape check before any hashing or lookup: a malformed key is simply invalid. */
export function looksLikeApiKey(value: string): boolean {
  return KEY_SHAPE.test(value);
}

export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
