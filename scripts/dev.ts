// npm run dev — the whole local stack and the Worker on http://127.0.0.1:${PORT:-8787}.
// No configuration: embedded PGlite persisted under .data/ (migrated and seeded with demo data).
// DATABASE_URL / MIGRATION_DATABASE_URL: a real Postgres instead (demo seed only with SEED=1).
import { mkdirSync } from "node:fs";
import { redactUrl } from "../dev/backend.js";
import { EMBEDDED_DATA_DIR } from "../dev/migrate.js";
import { startLocalStack } from "../dev/stack.js";
import { DEMO_USERS, seedDemo } from "../drizzle/seed.js";

const started = performance.now();
const env = process.env;
const ownerUrl = env.MIGRATION_DATABASE_URL || env.DATABASE_URL;
const embedded = !ownerUrl;
const seed = embedded || env.SEED === "1";
const port = Number(env.PORT || 8787);

if (embedded) mkdirSync(EMBEDDED_DATA_DIR, { recursive: true });
const say = (line: string) => console.log(`[dev] ${line}`);
say(embedded ? `database: embedded PGlite at ${EMBEDDED_DATA_DIR}` : `database: ${redactUrl(ownerUrl!)}`);

const stack = await startLocalStack({
  backend: embedded ? { dataDir: EMBEDDED_DATA_DIR } : { databaseUrl: ownerUrl! },
  ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
  port,
  watch: true,
  logLevel: "info",
  log: say,
  afterMigrate: async (backend) => {
    if (!seed) return say("demo seed skipped (set SEED=1 to load it into this database)");
    const summary = await seedDemo(backend);
    say(`demo seed: ${JSON.stringify(summary)}`);
  },
}).catch((err: Error) => {
  console.error(`[dev] failed to start: ${err.message}`);
  process.exit(1);
});

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`
  Automation Platform API ready in ${seconds}s
  ➜ API        ${stack.worker.url}
  ➜ Health     ${stack.worker.url}/health/ready
  ➜ Reference  ${stack.worker.url}/docs
  ➜ SQL (Neon protocol, local only) ${stack.sqlEndpoint.url}
${seed ? `\n  Demo users (authentication arrives with the identity work):\n${DEMO_USERS.map((u) => `    ${u.role.padEnd(11)} ${u.email}`).join("\n")}\n` : ""}
  Ctrl-C to stop.
`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    await stack.stop();
    process.exit(0);
  });
}
