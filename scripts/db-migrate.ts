// npm run db:migrate — applies migrations/ to MIGRATION_DATABASE_URL, else DATABASE_URL, else the
// embedded database under .data/pglite; adopts a database made by the seed's Prisma migrations.
// With TENANT_CLAIM_SECRET set (the Worker's secret), installs its key for row-level security.
import { openBackend } from "../ops/backend.js";
import { migrate, resolveMigrationTarget } from "../ops/migrate.js";

const started = performance.now();
const backend = await openBackend(resolveMigrationTarget());
try {
  console.log(`db:migrate → ${backend.label}`);
  const secret = process.env.TENANT_CLAIM_SECRET;
  const { adopted, applied } = await migrate(backend, {
    log: (line) => console.log(`  ${line}`),
    ...(secret ? { tenantClaimSecret: secret } : {}),
  });
  if (!secret) {
    console.log("  TENANT_CLAIM_SECRET not set: no tenant claim key installed (the Worker sees no tenant rows until its key is)");
  }
  const ms = Math.round(performance.now() - started);
  console.log(`db:migrate done in ${ms} ms: ${applied.length} applied${adopted ? ", seed database adopted" : ""}`);
} catch (err) {
  console.error(`db:migrate failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await backend.close();
}
