// HMAC-SHA256 signatures over raw bodies (Authorizer's X-Authorizer-Signature). The check uses
// crypto.subtle.verify, which compares in constant time, over the exact bytes received.

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

export async function verifyHexSignature(secret: string, rawBody: string, signatureHex: string | undefined): Promise<boolean> {
  if (!signatureHex || !/^[0-9a-fA-F]{64}$/.test(signatureHex.trim())) return false;
  const hex = signatureHex.trim();
  const signature = new Uint8Array(32);
  for (let i = 0; i < 32; i++) signature[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return crypto.subtle.verify("HMAC", await hmacKey(secret), signature, encoder.encode(rawBody));
}
