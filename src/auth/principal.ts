// The caller, as this service knows it: a person (the users row for the token's `sub`) or a machine
// (an API key of one client). Identity comes from the database, never from token claims.
//
// Principals are cached per isolate for at most 30 seconds, so a warm request spends no database
// round trip on authentication. The isolate that changes a user or key (webhook, revocation)
// evicts the entry at once; other isolates converge within the TTL, which the API contract allows.
import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import type { UserStatus } from "../../drizzle/enums.js";
import type { ApiKeyScope, TenantStatus, UserRole } from "./policy.js";
import { createPrincipalCache } from "./principal-cache.js";

export type { UserStatus };

export interface UserPrincipal {
  kind: "user";
  userId: string;
  authorizerId: string;
  email: string;
  role: UserRole;
  status: UserStatus;
  clientId: string | null;
  clientStatus: TenantStatus | null;
  /** Tokens issued before this instant (ms) are refused: revocation beats token expiry. */
  tokensValidAfter: number | null;
}

export interface ApiKeyPrincipal {
  kind: "api_key";
  keyId: string;
  name: string;
  clientId: string;
  clientStatus: TenantStatus;
  scopes: ApiKeyScope[];
  createdBy: string | null;
  expiresAt: number | null;
  revokedAt: number | null;
  /** The sealed HMAC secret when the key must sign its requests (auth/request-signature.ts), else null. */
  signingSecret: string | null;
}

export type Principal = UserPrincipal | ApiKeyPrincipal;

export const PRINCIPAL_TTL_MS = 30_000;

// Isolate-lifetime cache, deliberately at module scope (pure data, no I/O objects). Unknown
// subjects/keys are remembered briefly, apart from the principals, so a flood of them can neither
// hammer the database with repeats nor push real callers' principals out (principal-cache.ts).
export const PRINCIPAL_CACHE_OPTIONS = { maxEntries: 5_000, ttlMs: PRINCIPAL_TTL_MS, maxMisses: 500, missTtlMs: 5_000 } as const;
const cache = createPrincipalCache<Principal>(PRINCIPAL_CACHE_OPTIONS);

const cached = (key: string, now: number) => cache.get(key, now);
const remember = (key: string, principal: Principal | null, now: number) => cache.set(key, principal, now);

/** Evicts everything cached about a person (after a webhook or a change made on this isolate). */
export function forgetUser(match: { authorizerId?: string; userId?: string; email?: string }): void {
  cache.forget(
    (key, p) =>
      key === `sub:${match.authorizerId}` ||
      (p?.kind === "user" && (p.userId === match.userId || (Boolean(match.email) && p.email === match.email))),
  );
}

/** Evicts a revoked API key, or every key of a client whose status changed. */
export function forgetApiKeys(match: { keyId?: string; clientId?: string }): void {
  cache.forget((_key, p) => p?.kind === "api_key" && (p.keyId === match.keyId || p.clientId === match.clientId));
}

/** Evicts every person and API key of a client (after its status changed on this isolate). */
export function forgetClient(clientId: string): void {
  cache.forget((_key, p) => p?.clientId === clientId);
}

export function clearPrincipalCache(): void {
  cache.clear();
}

/** timestamp(3) columns hold UTC without a zone; the driver hands them over as text. */
function toMs(value: unknown): number | null {
  if (value == null) return null;
  if (value instanceof Date) return value.getTime();
  const text = String(value).replace(" ", "T");
  return Date.parse(/[zZ]|[+-]\d\d(:?\d\d)?$/.test(text) ? text : `${text}Z`);
}

/**
 * The users row for an Authorizer subject. Runs before any tenant is known, so it goes through a
 * SECURITY DEFINER function that returns exactly that one row (see the row-level security migration).
 */
export async function principalForSubject(db: Database, sub: string, now = Date.now()): Promise<UserPrincipal | null> {
  const key = `sub:${sub}`;
  const hit = cached(key, now);
  if (hit !== undefined) return hit as UserPrincipal | null;
  const result = await db.execute(sql`select * from api_principal_for_subject(${sub})`);
  const row = result.rows[0] as Record<string, unknown> | undefined;
  const principal: UserPrincipal | null = row
    ? {
        kind: "user",
        userId: String(row.userId),
        authorizerId: sub,
        email: String(row.email),
        role: row.role as UserRole,
        status: row.status as UserStatus,
        clientId: (row.clientId as string | null) ?? null,
        clientStatus: (row.clientStatus as TenantStatus | null) ?? null,
        tokensValidAfter: toMs(row.tokensValidAfter),
      }
    : null;
  remember(key, principal, now);
  return principal;
}

/** The API key with this hash (revoked and expired keys included: the caller decides). */
export async function principalForApiKey(db: Database, keyHash: string, now = Date.now()): Promise<ApiKeyPrincipal | null> {
  const key = `key:${keyHash}`;
  const hit = cached(key, now);
  if (hit !== undefined) return hit as ApiKeyPrincipal | null;
  const result = await db.execute(sql`select * from api_principal_for_key(${keyHash})`);
  const row = result.rows[0] as Record<string, unknown> | undefined;
  const principal: ApiKeyPrincipal | null = row
    ? {
        kind: "api_key",
        keyId: String(row.keyId),
        name: String(row.name),
        clientId: String(row.clientId),
        clientStatus: row.clientStatus as TenantStatus,
        scopes: parseTextArray(row.scopes) as ApiKeyScope[],
        createdBy: (row.createdBy as string | null) ?? null,
        expiresAt: toMs(row.expiresAt),
        revokedAt: toMs(row.revokedAt),
        signingSecret: (row.signingSecret as string | null) ?? null,
      }
    : null;
  remember(key, principal, now);
  return principal;
}

function parseTextArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string") {
    const inner = value.replace(/^\{|\}$/g, "");
    return inner ? inner.split(",").map((s) => s.replace(/^"|"$/g, "")) : [];
  }
  return [];
}
