// npm run db:rotate-encryption-key — re-seals every stored Meta access token under the current
// ENCRYPTION_KEY, opening those sealed under a retired key with ENCRYPTION_KEY_PREVIOUS (and sealing
// any legacy plaintext too). Run it after deploying the Worker with the new key and the old one in
// ENCRYPTION_KEY_PREVIOUS; once it reports no failure, the old key can be dropped. See the README,
// "Rotating the encryption key".
import { openBackend } from "../ops/backend.js";
import { resolveMigrationTarget } from "../ops/migrate.js";
import { describeSealReport, keyringFromEnvironment, sealStoredTokens } from "../ops/token-encryption.js";

const started = performance.now();
const target = resolveMigrationTarget();
try {
  const { ring, source } = await keyringFromEnvironment(process.env, !target.databaseUrl);
  const backend = await openBackend(target);
  try {
    const retired = [...ring.byId.keys()].filter((id) => id !== ring.current?.id);
    console.log(
      `db:rotate-encryption-key → ${backend.label}, key ${ring.current?.id} from ${source}` +
        `; retired keys: ${retired.length ? retired.join(", ") : "none"}`,
    );
    const report = await sealStoredTokens(backend, ring, { rotate: true });
    for (const line of describeSealReport(report)) console.log(`  ${line}`);
    if (report.failed.length) {
      console.error("  some tokens could not be opened: keep the old key(s) in ENCRYPTION_KEY_PREVIOUS and run again");
      process.exitCode = 1;
    }
  } finally {
    await backend.close();
  }
  console.log(`db:rotate-encryption-key done in ${Math.round(performance.now() - started)} ms`);
} catch (err) {
  console.error(`db:rotate-encryption-key failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
