// HMAC-SHA256 signatures over raw bodies: Authorizer's X-Authorizer-Signature and signing API keys'
// X-Signature (request-signature.ts). The check uses crypto.subtle.verify, which compares in constant
// time, over the exact bytes received.

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** A non-extractable HMAC-SHA256 key for `secret`. */
export function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = importHmacKey(secret);
    keys.set(secret, key);
  }
  return key;
}

/** True when `signatureHex` (64 hex digits, surrounding space allowed) is the HMAC of `message` under `key`. */
export async function verifyHexHmac(key: CryptoKey, message: string, signatureHex: string | undefined): Promise<boolean> {
  const hex = signatureHex?.trim() ?? "";
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const signature = new Uint8Array(32);
  for (let i = 0; i < 32; i++) signature[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return crypto.subtle.verify("HMAC", key, signature, encoder.encode(message));
}

export async function verifyHexSignature(secret: string, rawBody: string, signatureHex: string | undefined): Promise<boolean> {
  return verifyHexHmac(await hmacKey(secret), rawBody, signatureHex);
}
