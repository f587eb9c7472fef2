// npm run dev — the whole local stack and the Worker on http://127.0.0.1:${PORT:-8787}.
// No configuration: embedded PGlite persisted under .data/ (migrated and seeded with demo data), the
// Authorizer stand-in (keys persisted under .data/ so tokens survive restarts).
// DATABASE_URL / MIGRATION_DATABASE_URL: a real Postgres instead (demo seed only with SEED=1).
// REDIS_URL: a real Redis behind the Upstash endpoint instead of the in-memory store.
// AUTHORIZER_URL / AUTHORIZER_CLIENT_ID / AUTHORIZER_WEBHOOK_SECRET: an external Authorizer.
// Any other Worker setting in the environment (ENCRYPTION_KEY, CORS_ORIGINS, quota…) is handed on.
import { mkdirSync } from "node:fs";
import { redactUrl } from "../ops/backend.js";
import { DEV_KEY_FILE } from "../dev/authorizer/index.js";
import { DEV_WEBHOOK_SECRET } from "../dev/authorizer/dev-secret.js";
import { EMBEDDED_DATA_DIR } from "../ops/migrate.js";
import { startLocalStack } from "../dev/stack.js";
import { persistedEncryptionKey, workerSettingsFrom } from "../dev/worker-settings.js";
import { DEMO_USERS, seedDemo } from "../dev/demo/seed.js";

const started = performance.now();
const env = process.env;
const say = (line: string) => console.log(`[dev] ${line}`);

// Owner connection (migrations, seed): MIGRATION_DATABASE_URL, else DATABASE_URL, else PGlite.
const ownerUrl = env.MIGRATION_DATABASE_URL || env.DATABASE_URL;
const embedded = !ownerUrl;
const seed = embedded || env.SEED === "1";
// The Worker's connection: DATABASE_URL when a separate owner URL is given (it is then the
// application role); otherwise a local application role is created, so RLS applies as in production.
const workerUrl = env.MIGRATION_DATABASE_URL && env.DATABASE_URL ? env.DATABASE_URL : undefined;
// Likewise the cross-tenant role (else a local `automation_ops` is created), and the claim secret
// (else a fresh one is generated and installed for this run).
const crossTenantUrl = workerUrl ? env.CROSS_TENANT_DATABASE_URL || undefined : undefined;
const externalAuthorizer =
  env.AUTHORIZER_URL && env.AUTHORIZER_CLIENT_ID && env.AUTHORIZER_WEBHOOK_SECRET
    ? { url: env.AUTHORIZER_URL, clientId: env.AUTHORIZER_CLIENT_ID, webhookSecret: env.AUTHORIZER_WEBHOOK_SECRET }
    : undefined;
if (!externalAuthorizer && (env.AUTHORIZER_URL || env.AUTHORIZER_CLIENT_ID)) {
  console.error("[dev] set all of AUTHORIZER_URL, AUTHORIZER_CLIENT_ID and AUTHORIZER_WEBHOOK_SECRET, or none");
  process.exit(1);
}

if (embedded) mkdirSync(EMBEDDED_DATA_DIR, { recursive: true });
say(embedded ? `database: embedded PGlite at ${EMBEDDED_DATA_DIR}` : `database: ${redactUrl(ownerUrl!)}`);

const stack = await startLocalStack({
  backend: embedded ? { dataDir: EMBEDDED_DATA_DIR } : { databaseUrl: ownerUrl! },
  ...(workerUrl ? { databaseUrl: workerUrl } : {}),
  ...(crossTenantUrl ? { crossTenantDatabaseUrl: crossTenantUrl } : {}),
  ...(env.TENANT_CLAIM_SECRET ? { tenantClaimSecret: env.TENANT_CLAIM_SECRET } : {}),
  ...(externalAuthorizer ? { authorizer: externalAuthorizer } : { standIn: { keyFile: DEV_KEY_FILE, webhookSecret: DEV_WEBHOOK_SECRET } }),
  ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
  // Every Worker setting in the environment (quota, a real Upstash, CORS…), and a kept development
  // ENCRYPTION_KEY when none is set.
  vars: { ENCRYPTION_KEY: env.ENCRYPTION_KEY || persistedEncryptionKey(), ...workerSettingsFrom(env) },
  port: Number(env.PORT || 8787),
  watch: true,
  // GET /__scheduled?cron=<expr> fires that cron's jobs (wrangler.toml [triggers]).
  testScheduled: true,
  // "log" shows the Worker's own console.log lines (the structured request log) too.
  logLevel: "log",
  log: say,
  afterMigrate: async (backend) => {
    if (!seed) return say("demo seed skipped (set SEED=1 to load it into this database)");
    const summary = await seedDemo(backend);
    say(`demo seed: ${JSON.stringify(summary.inserted)} inserted in ${summary.ms} ms`);
  },
}).catch((err: Error) => {
  console.error(`[dev] failed to start: ${err.message}`);
  process.exit(1);
});

const url = stack.worker.url;
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const demo = seed
  ? `
  Demo users — get a token with \`npm run -s token -- <email>\`:
${DEMO_USERS.map((u) => `    ${u.role.padEnd(11)} ${u.status === "ACTIVE" ? "" : `(${u.status}) `}${u.email}`).join("\n")}

  Try: curl -H "Authorization: Bearer $(npm run -s token -- ${DEMO_USERS.find((u) => u.role === "ADMIN")?.email})" ${url}/v1/me
  Webhooks: npm run webhook -- user.access_revoked ${DEMO_USERS.find((u) => u.role === "USER")?.email}
`
  : "";
console.log(`
  Automation Platform API ready in ${seconds}s
  ➜ API        ${url}
  ➜ Health     ${url}/health/ready
  ➜ Reference  ${url}/docs
  ➜ Authorizer ${stack.authorizer ? `${stack.authorizer.url} (local stand-in)` : externalAuthorizer!.url}
  ➜ Upstash    ${stack.upstashEndpoint.url} (REST protocol, local only; ${stack.upstashEndpoint.store === "memory" ? "in-memory store" : stack.upstashEndpoint.store}${stack.upstashEndpoint.connected ? "" : ", UNREACHABLE"})
  ➜ SQL        ${stack.sqlEndpoint.url} (Neon protocol, local only; the Worker connects as ${new URL(stack.databaseUrl).username})
${demo}
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
