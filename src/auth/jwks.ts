// Authorizer's published signing keys, cached per isolate. Web APIs only: this runs in workerd.
//
// Cache rules (all per JWKS URL, at module scope, so every request an isolate serves shares them):
// - A key set is reused for JWKS_TTL_MS; after that the next request refetches it. If that refetch
//   fails we keep verifying with the keys we have (Authorizer being briefly unreachable must not log
//   everybody out) and try again after the cooldown.
// - Authorizer tokens carry no `kid`, so "this token was signed by a key we have not seen" only shows
//   up as "no cached key verifies it". Then we refetch at once (a rotation is picked up on the first
//   token signed with the new key), but at most once per JWKS_REFETCH_COOLDOWN_MS, so a stream of
//   forged tokens cannot turn into a stream of fetches to Authorizer.
// - Concurrent callers share one in-flight fetch; every fetch is bounded by AbortSignal.timeout.
// - Imported CryptoKeys live next to the JWK they came from, so importJWK runs once per key and alg.
import { importJWK, type JWK } from "jose";

/** Asymmetric algorithms only. HS* is refused on purpose: Authorizer up to 2.2.0 published its HMAC
 * secret in the JWKS, and an HS* verifier can be fed a token "signed" with public key bytes. */
export const ALLOWED_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"] as const;
export type AllowedAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

export const JWKS_TTL_MS = 10 * 60_000;
export const JWKS_REFETCH_COOLDOWN_MS = 30_000;
export const DEFAULT_JWKS_FETCH_TIMEOUT_MS = 3_000;

/** The JWKS could not be fetched or parsed in time. Callers answer 503 `unavailable`, never 401. */
export class JwksUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "JwksUnavailableError";
  }
}

interface CachedKey {
  jwk: JWK;
  /** alg → imported key (null when this JWK cannot be imported for that alg). */
  imported: Map<string, Promise<CryptoKey | null>>;
}

export interface KeySet {
  keys: CachedKey[];
  fetchedAt: number;
}

interface Slot {
  current?: KeySet;
  inflight?: Promise<KeySet>;
  /** When a fetch outside the TTL schedule (unknown key, failed refresh) was last allowed. */
  lastOffScheduleAt?: number;
}

const slots = new Map<string, Slot>();

/** Forgets every cached key set (tests; a manual rotation). */
export function clearJwksCache(): void {
  slots.clear();
}

function slotFor(url: string): Slot {
  let slot = slots.get(url);
  if (!slot) {
    slot = {};
    slots.set(url, slot);
  }
  return slot;
}

/** The key set to verify with: cached while fresh, else fetched (throws JwksUnavailableError only
 * when there is nothing cached to fall back on). */
export async function getKeySet(url: string, timeoutMs: number, now: () => number): Promise<KeySet> {
  const slot = slotFor(url);
  const current = slot.current;
  if (current && now() - current.fetchedAt < JWKS_TTL_MS) return current;
  if (current && !slot.inflight && !cooldownOver(slot, now)) return current; // a refresh just failed
  try {
    return await refresh(slot, url, timeoutMs, now);
  } catch (err) {
    if (!current) throw err;
    slot.lastOffScheduleAt = now();
    return current;
  }
}

/** No cached key verified a token: refetch once per cooldown, in case Authorizer rotated keys.
 * Returns the new key set, or null when the cooldown forbids a fetch or the fetch failed (the token
 * is then judged against the keys we already have). */
export async function refetchAfterMiss(url: string, seen: KeySet, timeoutMs: number, now: () => number): Promise<KeySet | null> {
  const slot = slotFor(url);
  if (slot.current && slot.current !== seen) return slot.current; // someone else already refetched
  if (!slot.inflight) {
    if (!cooldownOver(slot, now)) return null;
    slot.lastOffScheduleAt = now();
  }
  try {
    return await refresh(slot, url, timeoutMs, now);
  } catch {
    return null;
  }
}

function cooldownOver(slot: Slot, now: () => number): boolean {
  return slot.lastOffScheduleAt === undefined || now() - slot.lastOffScheduleAt >= JWKS_REFETCH_COOLDOWN_MS;
}

function refresh(slot: Slot, url: string, timeoutMs: number, now: () => number): Promise<KeySet> {
  slot.inflight ??= fetchKeySet(url, timeoutMs, now)
    .then((keySet) => (slot.current = keySet))
    .finally(() => (slot.inflight = undefined));
  return slot.inflight;
}

async function fetchKeySet(url: string, timeoutMs: number, now: () => number): Promise<KeySet> {
  let body: unknown;
  try {
    // The signal bounds the whole exchange, body included: a JWKS that trickles in counts as down.
    const res = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = await res.json();
  } catch (cause) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    throw new JwksUnavailableError(`JWKS ${url} unavailable (${reason})`, { cause });
  }
  const keys = isObject(body) && Array.isArray(body.keys) ? body.keys : undefined;
  if (!keys) throw new JwksUnavailableError(`JWKS ${url} is not a JSON Web Key Set`);
  return { keys: keys.filter(isVerificationKey).map((jwk) => ({ jwk, imported: new Map() })), fetchedAt: now() };
}

/** RSA/EC public keys meant for signatures. Symmetric ("oct") entries are dropped: a JWKS that
 * publishes an HMAC secret has leaked it, and nothing may be verified with it. */
function isVerificationKey(value: unknown): value is JWK {
  if (!isObject(value)) return false;
  if (value.kty !== "RSA" && value.kty !== "EC") return false;
  if (value.use !== undefined && value.use !== "sig") return false;
  if (value.alg !== undefined && !ALLOWED_ALGORITHMS.includes(value.alg as AllowedAlgorithm)) return false;
  return value.d === undefined; // a private key in a JWKS is a publishing mistake, not a key to use
}

const EC_CURVES: Record<string, string> = { ES256: "P-256", ES384: "P-384", ES512: "P-521" };

/** Every cached key that could have signed a token with this header, imported for its alg. Without a
 * `kid` (Authorizer never sends one) that is every key of the right alg/kty — during a rotation two of
 * them — and the caller tries each. A `kid`, when a token has one, must name the key. */
export async function candidateKeys(keySet: KeySet, alg: AllowedAlgorithm, kid: unknown): Promise<CryptoKey[]> {
  const matching = keySet.keys.filter(({ jwk }) => {
    if (typeof kid === "string" && jwk.kid !== kid) return false;
    if (jwk.alg !== undefined) return jwk.alg === alg;
    return alg.startsWith("RS") ? jwk.kty === "RSA" : jwk.kty === "EC" && jwk.crv === EC_CURVES[alg];
  });
  const imported = await Promise.all(matching.map((key) => importFor(key, alg)));
  return imported.filter((key): key is CryptoKey => key !== null);
}

function importFor(key: CachedKey, alg: AllowedAlgorithm): Promise<CryptoKey | null> {
  let pending = key.imported.get(alg);
  if (!pending) {
    pending = importJWK(key.jwk, alg).then(
      (k) => (k instanceof Uint8Array ? null : k),
      () => null, // a malformed JWK is skipped, not fatal: the other keys may still verify
    );
    key.imported.set(alg, pending);
  }
  return pending;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
