// Installs the key of the tenant claims (TENANT_CLAIM_SECRET) into the database, as its owner:
// migration 0006's app_private.tenant_claim_keys, which only the owner can read. Keys are added,
// never replaced, so a rotation works: install the new secret, deploy the Worker with it, then
// retire the old key (README "Deploy"). Run by `npm run db:migrate` and by the local stack.
import { randomBytes } from "node:crypto";
import { tenantClaimKeyMaterial } from "../src/db/claim.js";
import { queryRows, type Backend } from "./backend.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

export interface InstallOptions {
  /** Remove every other key (a database only this stack uses, e.g. the embedded one). */
  retireOthers?: boolean;
}

/** Returns the key id the Worker will put in its claims. */
export async function installTenantClaimKey(backend: Backend, secret: string, opts: InstallOptions = {}): Promise<string> {
  if (secret.length < 32) throw new Error("TENANT_CLAIM_SECRET must be at least 32 characters");
  const { keyId, inner, outer } = await tenantClaimKeyMaterial(secret);
  await queryRows(
    backend,
    `INSERT INTO app_private.tenant_claim_keys (key_id, inner_key, outer_key) VALUES ($1, decode($2, 'hex'), decode($3, 'hex'))
     ON CONFLICT (key_id) DO NOTHING`,
    [keyId, hex(inner), hex(outer)],
  );
  if (opts.retireOthers) await queryRows(backend, `DELETE FROM app_private.tenant_claim_keys WHERE key_id <> $1`, [keyId]);
  return keyId;
}

/** Removes one key: claims signed with it stop working at once. */
export async function retireTenantClaimKey(backend: Backend, keyId: string): Promise<number> {
  const rows = await queryRows(backend, `DELETE FROM app_private.tenant_claim_keys WHERE key_id = $1 RETURNING key_id`, [keyId]);
  return rows.length;
}

/** A fresh secret for a local stack. */
export function generateTenantClaimSecret(): string {
  return randomBytes(32).toString("hex");
}
