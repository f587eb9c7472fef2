// Test data, written as the owner through the same SQL-over-HTTP endpoint (the official Neon
// client), plus access tokens minted with the stand-in's keys. Every call makes fresh ids, so test
// files running in parallel never see each other's tenants.
import { neon, neonConfig } from "@neondatabase/serverless";
import { inject } from "vitest";
import { mintForged, type ForgedKind } from "../../dev/authorizer/forge.js";
import { mintWithPrivateJwks, type MintOptions } from "../../dev/authorizer/index.js";
import { newId } from "../../drizzle/ids.js";
import { createHmac } from "node:crypto";
import { generateApiKey, generateSigningSecret, signingSecretContext } from "../../src/auth/api-key-format.js";
import { createKeyring, encryptToken } from "../../src/crypto/token-crypto.js";
import type { ApiKeyScope, UserRole } from "../../src/auth/policy.js";

neonConfig.fetchEndpoint = inject("sqlEndpointUrl");

/** SQL as the owner (bypasses row-level security): for arranging and inspecting data only. */
export const ownerSql = neon(inject("ownerDatabaseUrl"));
/** SQL as the Worker's application role, subject to row-level security. */
export const appSql = neon(inject("databaseUrl"));

const authorizer = inject("authorizer");

export function mintToken(sub: string, opts: Partial<MintOptions> = {}): Promise<string> {
  return mintWithPrivateJwks(authorizer.privateJwks, authorizer.url, authorizer.clientId, { sub, ...opts });
}

export function forgeToken(kind: ForgedKind, sub: string): Promise<string> {
  return mintForged({ url: authorizer.url, clientId: authorizer.clientId, privateJwks: () => authorizer.privateJwks }, kind, { sub });
}

export interface TestUser {
  id: string;
  authorizerId: string;
  email: string;
  role: UserRole;
  token: string;
}

export interface TestTenant {
  clientId: string;
  admin: TestUser;
  user: TestUser;
  viewer: TestUser;
}

type ClientStatus = "ACTIVE" | "TRIAL" | "SUSPENDED" | "CANCELLED";

export async function createUser(opts: {
  clientId: string | null;
  role: UserRole;
  status?: "ACTIVE" | "INACTIVE" | "SUSPENDED" | "PENDING_VERIFICATION";
  email?: string;
  authorizerId?: string;
}): Promise<TestUser> {
  const id = newId();
  const authorizerId = opts.authorizerId ?? `auth-${id}`;
  const email = opts.email ?? `${opts.role.toLowerCase()}-${id}@tenant.test`;
  await ownerSql.query(
    `insert into users (id, "authorizerId", email, role, status, "clientId", "updatedAt")
     values ($1, $2, $3, $4, $5, $6, now())`,
    [id, authorizerId, email, opts.role, opts.status ?? "ACTIVE", opts.clientId],
  );
  return { id, authorizerId, email, role: opts.role, token: await mintToken(authorizerId) };
}

export async function createTenant(opts: { status?: ClientStatus; name?: string } = {}): Promise<TestTenant> {
  const clientId = newId();
  await ownerSql.query(
    `insert into clients (id, name, slug, status, tier, "maxUsers", "updatedAt") values ($1, $2, $3, $4, 'PRO', 20, now())`,
    [clientId, opts.name ?? `Tenant ${clientId}`, `tenant-${clientId}`, opts.status ?? "ACTIVE"],
  );
  const [admin, user, viewer] = await Promise.all((["ADMIN", "USER", "VIEWER"] as const).map((role) => createUser({ clientId, role })));
  return { clientId, admin: admin!, user: user!, viewer: viewer! };
}

export async function createApiKey(
  clientId: string,
  scopes: ApiKeyScope[],
  opts: { revoked?: boolean; expired?: boolean; createdBy?: string; signed?: boolean } = {},
): Promise<{ id: string; key: string; signingSecret?: string }> {
  const id = newId();
  const generated = await generateApiKey();
  // A signing key's secret is sealed with the Worker's ENCRYPTION_KEY, as POST /v1/api-keys does.
  const signingSecret = opts.signed ? generateSigningSecret() : undefined;
  const sealed = signingSecret
    ? await encryptToken(await createKeyring({ current: inject("workerVars").ENCRYPTION_KEY }), signingSecret, signingSecretContext(id))
    : null;
  await ownerSql.query(
    `insert into api_keys (id, "clientId", name, prefix, "keyHash", scopes, "createdBy", "expiresAt", "revokedAt", "signingSecret", "updatedAt")
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())`,
    [
      id,
      clientId,
      `key ${id}`,
      generated.prefix,
      generated.hash,
      scopes,
      opts.createdBy ?? null,
      opts.expired ? new Date(Date.now() - 60_000) : null,
      opts.revoked ? new Date(Date.now() - 60_000) : null,
      sealed,
    ],
  );
  return { id, key: generated.key, ...(signingSecret ? { signingSecret } : {}) };
}

/** X-Timestamp and X-Signature for a signing key's request with this raw body ("" without one). */
export function signatureHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    "X-Timestamp": String(timestamp),
    "X-Signature": createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex"),
  };
}

export const bearer = (credential: string): Record<string, string> => ({ Authorization: `Bearer ${credential}` });
