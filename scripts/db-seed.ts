// npm run db:seed — idempotent demo data (dev/demo/data.ts) in the same database db:migrate
// targets: MIGRATION_DATABASE_URL, else DATABASE_URL, else the embedded database under .data/.
import { openBackend } from "../ops/backend.js";
import { resolveMigrationTarget } from "../ops/migrate.js";
import { DEMO_USERS, seedDemo } from "../dev/demo/seed.js";

const started = performance.now();
const backend = await openBackend(resolveMigrationTarget());
try {
  console.log(`db:seed → ${backend.label}`);
  const { inserted, total } = await seedDemo(backend);
  for (const table of Object.keys(total) as (keyof typeof total)[]) {
    console.log(`  ${table.padEnd(14)} ${String(inserted[table]).padStart(4)} inserted, ${String(total[table]).padStart(4)} in table`);
  }
  console.log(`  demo users: ${DEMO_USERS.map((u) => `${u.email} (${u.role})`).join(", ")}`);
  console.log(`db:seed done in ${Math.round(performance.now() - started)} ms`);
} catch (err) {
  console.error(`db:seed failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await backend.close();
}
