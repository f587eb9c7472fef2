// Tenant claims: what makes row-level security hold against someone who has the application role's
// SQL (an injection, a leaked DATABASE_URL) but not the Worker's secrets.
//
// Every tenant batch carries, next to `app.client_id` and `app.user_id`, a short-lived claim over
// exactly those two values, signed with TENANT_CLAIM_SECRET (HMAC-SHA256):
//
//   app.tenant_claim = v1.<key id>.<expiry, unix seconds>.<hex HMAC>
//   HMAC message     = "v1\n<key id>\n<expiry>\n<bytes>:<client id>\n<bytes>:<user id>"
//
// (the ids are length-prefixed so no two (client, user) pairs share a message). Postgres checks it
// in a SECURITY DEFINER function whose keys live in a table only the owner can read
// (migration 0006); the policies see a tenant only through that check, so settings made without a
// valid claim show no rows. The key id is derived from the secret, so both sides agree on it with
// no extra setting, and several keys can be installed at once while the secret rotates.
//
// Pure WebCrypto: the Worker signs with it, and Node (dev stack, migration runner, tests) derives
// the key material the database stores.

/** How long a claim is accepted: a batch is one round trip, plus room for clock skew. */
export const CLAIM_TTL_SECONDS = 120;
/** HMAC-SHA256 block size: longer secrets are hashed first (RFC 2104). */
const BLOCK_BYTES = 64;

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = "";
  for (const b of view) out += b.toString(16).padStart(2, "0");
  return out;
}

async function sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

/** The key id of a secret: public, stable, and different for every secret. */
export async function tenantClaimKeyId(secret: string): Promise<string> {
  return hex(await sha256(encoder.encode(`tenant-claim-key-id\n${secret}`))).slice(0, 16);
}

interface SigningKey {
  keyId: string;
  key: CryptoKey;
}

// Per isolate: importing the key and deriving its id once per secret.
const signingKeys = new Map<string, Promise<SigningKey>>();

function signingKey(secret: string): Promise<SigningKey> {
  let key = signingKeys.get(secret);
  if (!key) {
    key = (async () => ({
      keyId: await tenantClaimKeyId(secret),
      key: await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
    }))();
    key.catch(() => signingKeys.delete(secret));
    signingKeys.set(secret, key);
  }
  return key;
}

const lengthPrefixed = (value: string) => `${encoder.encode(value).length}:${value}`;

export function claimMessage(keyId: string, expiresAt: number, clientId: string, userId: string): string {
  return ["v1", keyId, String(expiresAt), lengthPrefixed(clientId), lengthPrefixed(userId)].join("\n");
}

export interface ClaimScope {
  /** '' = no tenant. */
  clientId: string;
  /** '' = nobody. */
  userId: string;
}

/** A claim for this scope, valid for CLAIM_TTL_SECONDS from `nowMs`. */
export async function signTenantClaim(secret: string, scope: ClaimScope, nowMs = Date.now()): Promise<string> {
  const { keyId, key } = await signingKey(secret);
  const expiresAt = Math.floor(nowMs / 1000) + CLAIM_TTL_SECONDS;
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(claimMessage(keyId, expiresAt, scope.clientId, scope.userId)));
  return `v1.${keyId}.${expiresAt}.${hex(mac)}`;
}

/**
 * What the database stores for a secret: its key id and the HMAC's inner and outer padded keys,
 * so Postgres computes HMAC-SHA256 with its built-in sha256() (no extension needed):
 * HMAC(K, m) = sha256(outer || sha256(inner || m)). Both are as secret as the secret itself.
 */
export async function tenantClaimKeyMaterial(secret: string): Promise<{ keyId: string; inner: Uint8Array; outer: Uint8Array }> {
  let key: Uint8Array<ArrayBuffer> = encoder.encode(secret);
  if (key.length > BLOCK_BYTES) key = await sha256(key);
  const inner = new Uint8Array(BLOCK_BYTES);
  const outer = new Uint8Array(BLOCK_BYTES);
  for (let i = 0; i < BLOCK_BYTES; i++) {
    const k = key[i] ?? 0;
    inner[i] = k ^ 0x36;
    outer[i] = k ^ 0x5c;
  }
  return { keyId: await tenantClaimKeyId(secret), inner, outer };
}

// ---------------------------------------------------------------------------------------------
// Which secret a Database signs with, and which Database is the cross-tenant one. Bound when the
// object is created (createDatabase / createCrossTenantDatabase), so call sites keep their shape.

const claimSecrets = new WeakMap<object, string>();
const crossTenant = new WeakSet<object>();

export function bindTenantClaimSecret<T extends object>(db: T, secret: string): T {
  claimSecrets.set(db, secret);
  return db;
}

export function tenantClaimSecretOf(db: object): string {
  const secret = claimSecrets.get(db);
  if (!secret) throw new Error("this Database has no TENANT_CLAIM_SECRET bound: create it with createDatabase(config)");
  return secret;
}

export function markCrossTenant<T extends object>(db: T): T {
  crossTenant.add(db);
  return db;
}

export function isCrossTenant(db: object): boolean {
  return crossTenant.has(db);
}
