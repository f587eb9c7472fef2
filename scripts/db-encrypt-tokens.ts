// npm run db:encrypt-tokens — seals the Meta access tokens an adopted seed database holds in clear
// (AES-256-GCM under ENCRYPTION_KEY), in the database db:migrate targets: MIGRATION_DATABASE_URL,
// else DATABASE_URL, else the embedded database (whose fallback key is the one npm run dev keeps).
// Idempotent: tokens already sealed are left alone.
import { openBackend } from "../ops/backend.js";
import { resolveMigrationTarget } from "../ops/migrate.js";
import { describeSealReport, keyringFromEnvironment, sealStoredTokens } from "../ops/token-encryption.js";

const started = performance.now();
const target = resolveMigrationTarget();
try {
  const { ring, source } = await keyringFromEnvironment(process.env, !target.databaseUrl);
  const backend = await openBackend(target);
  try {
    console.log(`db:encrypt-tokens → ${backend.label}, key ${ring.current?.id} from ${source}`);
    const report = await sealStoredTokens(backend, ring);
    for (const line of describeSealReport(report)) console.log(`  ${line}`);
    if (report.failed.length) process.exitCode = 1;
  } finally {
    await backend.close();
  }
  console.log(`db:encrypt-tokens done in ${Math.round(performance.now() - started)} ms`);
} catch (err) {
  console.error(`db:encrypt-tokens failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
