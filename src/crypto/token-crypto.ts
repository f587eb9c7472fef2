// Meta access tokens at rest: AES-256-GCM (WebCrypto, so the same code runs in the Worker and in the
// Node scripts) under ENCRYPTION_KEY, stored in the existing text column as
//
//   v1:<key id>:<base64url iv>:<base64url ciphertext+tag>
//
// The key id (first 8 hex of SHA-256 of the raw key) says which key sealed a value, so keys can
// rotate: retired keys stay in ENCRYPTION_KEY_PREVIOUS for decrypting until
// `npm run db:rotate-encryption-key` has re-sealed every token under the current one. The ad account
// id is the additional authenticated data: a ciphertext copied onto another row does not open.
// A value without the version prefix is a legacy plaintext token (an adopted seed database) and is
// read as is until `npm run db:encrypt-tokens` seals it. Nothing here ever logs a token.
import { ConfigError, type Config } from "../env.js";

const VERSION = "v1";
const IV_BYTES = 12;
const SEALED = /^v1:([0-9a-f]{8}):([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)$/;
/** Any versioned value (v1, or a later format this code does not know): never legacy plaintext. */
const VERSIONED = /^v\d+:/;

interface TokenKey {
  id: string;
  key: CryptoKey;
}

/** The keys a process can use: `current` seals, every key (current included) opens. */
export interface Keyring {
  current: TokenKey | null;
  byId: ReadonlyMap<string, TokenKey>;
}

/** A sealed value that does not open: wrong key, tampered bytes, or another row's ciphertext. */
export class TokenDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenDecryptionError";
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(b64.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function toBase64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  return base64ToBytes(text.replaceAll("-", "+").replaceAll("_", "/"));
}

/** The key id stored beside each ciphertext: first 8 hex digits of SHA-256 of the raw key. */
export async function keyId(raw: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
  return [...digest.slice(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function importKey(base64: string): Promise<TokenKey> {
  const raw = base64ToBytes(base64);
  if (raw.length !== 32) throw new Error("an encryption key must be base64 of exactly 32 bytes");
  const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  return { id: await keyId(raw), key };
}

/** Builds a keyring from base64 keys (already validated by the config schema). */
export async function createKeyring(keys: { current?: string | undefined; previous?: readonly string[] | undefined }): Promise<Keyring> {
  const current = keys.current ? await importKey(keys.current) : null;
  const previous = await Promise.all((keys.previous ?? []).map(importKey));
  const byId = new Map<string, TokenKey>();
  for (const k of [...previous, ...(current ? [current] : [])]) byId.set(k.id, k);
  return { current, byId };
}

// Per isolate: the config object is cached per bindings (src/env.ts), so keys are imported once.
const keyrings = new WeakMap<Config, Promise<Keyring>>();

/** The Worker's keyring for its configuration (ENCRYPTION_KEY, ENCRYPTION_KEY_PREVIOUS). */
export function keyringFor(config: Config): Promise<Keyring> {
  let ring = keyrings.get(config);
  if (!ring) {
    ring = createKeyring({ current: config.ENCRYPTION_KEY, previous: config.ENCRYPTION_KEY_PREVIOUS });
    keyrings.set(config, ring);
  }
  return ring;
}

/** True when the stored value is sealed (any version), false for legacy plaintext. */
export function isSealed(stored: string): boolean {
  return VERSIONED.test(stored);
}

/** The key id a sealed value names, or null for legacy plaintext. */
export function sealedKeyId(stored: string): string | null {
  return SEALED.exec(stored)?.[1] ?? null;
}

/** Seals a token for the ad account `adAccountId` under the current key. Refuses (never stores plaintext) without one. */
export async function encryptToken(ring: Keyring, token: string, adAccountId: string): Promise<string> {
  if (!ring.current) {
    throw new ConfigError([{ setting: "ENCRYPTION_KEY", message: "is required to encrypt ad account access tokens" }]);
  }
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(adAccountId) },
    ring.current.key,
    encoder.encode(token),
  );
  return `${VERSION}:${ring.current.id}:${toBase64url(iv)}:${toBase64url(new Uint8Array(sealed))}`;
}

/** Opens a stored value of the ad account `adAccountId`; legacy plaintext is returned as it is. */
export async function decryptToken(ring: Keyring, stored: string, adAccountId: string): Promise<string> {
  if (!isSealed(stored)) return stored;
  const parts = SEALED.exec(stored);
  if (!parts) throw new TokenDecryptionError(`ad account ${adAccountId}: the stored token has an unknown format`);
  const [, id = "", iv = "", ciphertext = ""] = parts;
  const key = ring.byId.get(id);
  if (!key) {
    if (ring.byId.size === 0) {
      throw new ConfigError([{ setting: "ENCRYPTION_KEY", message: "is required to decrypt ad account access tokens" }]);
    }
    throw new ConfigError([
      {
        setting: "ENCRYPTION_KEY_PREVIOUS",
        message: `lacks the key ${id} that sealed a stored token (keep retired keys there until db:rotate-encryption-key has run)`,
      },
    ]);
  }
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64url(iv), additionalData: encoder.encode(adAccountId) },
      key.key,
      fromBase64url(ciphertext),
    );
    return decoder.decode(plain);
  } catch {
    throw new TokenDecryptionError(
      `ad account ${adAccountId}: the stored token does not open under key ${id} (tampered, or sealed for another row)`,
    );
  }
}

/** True when a stored value should be (re)sealed: legacy plaintext, or sealed under a key other than the current one. */
export function needsSealing(ring: Keyring, stored: string): boolean {
  if (!isSealed(stored)) return true;
  return ring.current !== null && sealedKeyId(stored) !== ring.current.id;
}
