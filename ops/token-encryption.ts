// Sealing stored Meta access tokens (and API keys' signing secrets) in place, for `npm run db:encrypt-tokens` (legacy plaintext from
// an adopted seed database) and `npm run db:rotate-encryption-key` (also re-seals tokens sealed
// under a retired key). Each row is rewritten with a compare-and-set on its old value, so a token
// changed through the API meanwhile is left alone, and a second run finds nothing to do.
import { existsSync } from "node:fs";
import { configSchema } from "../src/env.js";
import { createKeyring, decryptToken, encryptToken, isSealed, sealedKeyId, type Keyring } from "../src/crypto/token-crypto.js";
import { signingSecretContext } from "../src/auth/api-key-format.js";
import { DEV_ENCRYPTION_KEY_FILE, persistedEncryptionKey } from "../dev/worker-settings.js";
import { queryRows, type Backend } from "./backend.js";

export interface SealReport {
  /** Ad accounts looked at. */
  scanned: number;
  /** Legacy plaintext tokens now sealed. */
  encrypted: number;
  /** Tokens sealed under a retired key, now sealed under the current one (rotation only). */
  reencrypted: number;
  /** Already sealed under the current key. */
  current: number;
  /** Sealed under another key and left as they are (db:encrypt-tokens does not rotate). */
  olderKey: number;
  /** Changed by someone else while this ran; left to the next run. */
  changedMeanwhile: number;
  /** Rows that could not be opened (missing retired key, tampered value): ids and reasons, never tokens. */
  failed: { id: string; reason: string }[];
}

/**
 * Seals every legacy plaintext token under the ring's current key; with `rotate`, also re-seals
 * tokens sealed under any other key (which must be in the ring to be opened).
 */
export async function sealStoredTokens(backend: Backend, ring: Keyring, opts: { rotate?: boolean } = {}): Promise<SealReport> {
  const current = ring.current;
  if (!current) throw new Error("ENCRYPTION_KEY is required to encrypt tokens");
  const report: SealReport = { scanned: 0, encrypted: 0, reencrypted: 0, current: 0, olderKey: 0, changedMeanwhile: 0, failed: [] };
  for (const target of SEALED_COLUMNS) {
    // Table and column names are the constants below, never input.
    const rows = await queryRows<{ id: string; value: string }>(
      backend,
      `select id, "${target.column}" as value from ${target.table} where "${target.column}" is not null order by id`,
    );
    for (const row of rows) {
      report.scanned += 1;
      const legacy = !isSealed(row.value);
      if (!legacy && sealedKeyId(row.value) === current.id) {
        report.current += 1;
        continue;
      }
      if (!legacy && !opts.rotate) {
        report.olderKey += 1;
        continue;
      }
      const context = target.context(row.id);
      let sealed: string;
      try {
        sealed = await encryptToken(ring, await decryptToken(ring, row.value, context), context);
      } catch (err) {
        report.failed.push({ id: `${target.table} ${row.id}`, reason: (err as Error).message });
        continue;
      }
      const updated = await queryRows(
        backend,
        `update ${target.table} set "${target.column}" = $1 where id = $2 and "${target.column}" = $3 returning id`,
        [sealed, row.id, row.value],
      );
      if (updated.length === 0) report.changedMeanwhile += 1;
      else if (legacy) report.encrypted += 1;
      else report.reencrypted += 1;
    }
  }
  return report;
}

/** Every column holding values sealed under ENCRYPTION_KEY, and the additional data each row's value is sealed with. */
const SEALED_COLUMNS = [
  { table: "ad_accounts", column: "accessToken", context: (id: string) => id },
  { table: "api_keys", column: "signingSecret", context: signingSecretContext },
] as const;

/**
 * The keyring of a command, from ENCRYPTION_KEY and ENCRYPTION_KEY_PREVIOUS (validated like the
 * Worker's). On the embedded database only, the development key `npm run dev` keeps is the fallback:
 * a real database always needs its key named, so a production run never seals under a dev key.
 */
export async function keyringFromEnvironment(env: NodeJS.ProcessEnv, embedded: boolean): Promise<{ ring: Keyring; source: string }> {
  const parsed = configSchema.pick({ ENCRYPTION_KEY: true, ENCRYPTION_KEY_PREVIOUS: true }).safeParse({
    ENCRYPTION_KEY: env.ENCRYPTION_KEY || undefined,
    ENCRYPTION_KEY_PREVIOUS: env.ENCRYPTION_KEY_PREVIOUS || undefined,
  });
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join("; "));
  }
  let current = parsed.data.ENCRYPTION_KEY;
  let source = "ENCRYPTION_KEY";
  if (!current && embedded && existsSync(DEV_ENCRYPTION_KEY_FILE)) {
    current = persistedEncryptionKey();
    source = `the development key in ${DEV_ENCRYPTION_KEY_FILE} (the one npm run dev uses)`;
  }
  if (!current) throw new Error("ENCRYPTION_KEY is required (base64 of 32 bytes): the key the Worker runs with");
  return { ring: await createKeyring({ current, previous: parsed.data.ENCRYPTION_KEY_PREVIOUS }), source };
}

/** Human lines describing a report. */
export function describeSealReport(report: SealReport): string[] {
  return [
    `${report.scanned} sealed values scanned (ad account tokens, API key signing secrets)`,
    `${report.encrypted} plaintext tokens encrypted`,
    `${report.reencrypted} tokens re-encrypted under the current key`,
    `${report.current} already under the current key`,
    ...(report.olderKey ? [`${report.olderKey} sealed under another key (run npm run db:rotate-encryption-key)`] : []),
    ...(report.changedMeanwhile ? [`${report.changedMeanwhile} changed meanwhile, left for the next run`] : []),
    ...report.failed.map((f) => `FAILED ${f.id}: ${f.reason}`),
  ];
}
