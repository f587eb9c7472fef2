// Starts the local stack once for the whole run: a Postgres (a fresh database on the server named by
// TEST_DATABASE_URL, dropped afterwards; else in-memory PGlite), migrated, behind the Neon-protocol
// SQL endpoint, the Authorizer stand-in, and the real Worker in workerd. Test files reach it
// through inject().
//
// Everything the shared Worker prints (wrangler's banner, one JSON line per request) is written to
// a file, whose path tests get as `workerLogFile`; at the end of the run every line is checked for
// secrets, and a leak fails the run (test/security/secret-leaks.test.ts checks it mid-run too).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { createScratchDatabase } from "../ops/backend.js";
import type { PrivateKeySet } from "../dev/authorizer/index.js";
import { startLocalStack, type LocalStack } from "../dev/stack.js";
import { captureConsole, findLeaks, stackSecrets } from "./support/secrets.js";
import { deleteKeys } from "./upstash-endpoint/harness.js";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    /** Bindings the shared Worker runs with (to start variants of it). */
    workerVars: Record<string, string>;
    sqlEndpointUrl: string;
    /** The Upstash endpoint the shared Worker uses, and the prefix of the Worker's quota keys. */
    upstash: { url: string; token: string; keyPrefix: string };
    /** The Worker's DATABASE_URL: the application role, subject to row-level security. */
    databaseUrl: string;
    /** The Worker's CROSS_TENANT_DATABASE_URL: the cross-tenant role. */
    crossTenantDatabaseUrl: string;
    /** The owner's connection string: tests set up data with it, through the same endpoint. */
    ownerDatabaseUrl: string;
    /** Real Postgres only: the scratch database's URL. */
    backendUrl: string | null;
    authorizer: { url: string; clientId: string; webhookSecret: string; privateJwks: PrivateKeySet };
    /** Every line the shared Worker printed so far (its request logs included). */
    workerLogFile: string;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, "apitest") : undefined;
  // On a real Redis (TEST_REDIS_URL) the run's quota keys live under a prefix of their own, deleted at the end.
  const redisUrl = process.env.TEST_REDIS_URL;
  const keyPrefix = `apitest:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}:quota:`;
  const logDir = mkdtempSync(join(tmpdir(), "apitest-worker-log-"));
  const workerLogFile = join(logDir, "worker.log");
  writeFileSync(workerLogFile, "");
  // Wrangler prints the Worker's console through this process' console: at level "log" every
  // request line is printed, and the capture keeps all of it off the terminal but errors.
  const restoreConsole = captureConsole(workerLogFile);
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      backend: scratch ? { databaseUrl: scratch.url } : {},
      logLevel: "log",
      ...(redisUrl ? { redisUrl } : {}),
      // A loaded CI machine can take more than the production 1 s bound; timeouts have their own test.
      // Same for the database bound (production default 5 s).
      vars: {
        QUOTA_KEY_PREFIX: keyPrefix,
        UPSTASH_TIMEOUT_MS: "10000",
        DB_TIMEOUT_MS: "15000",
        // Every test calls from 127.0.0.1 and the security suites fail to authenticate thousands of
        // times on purpose; test/security/failed-authentication-limit.test.ts tests the limit itself.
        AUTH_FAILURE_LIMIT: "1000000",
      },
    });
  } catch (err) {
    restoreConsole();
    await scratch?.drop();
    throw err;
  }
  const authorizer = stack.authorizer!;
  project.provide("apiUrl", stack.worker.url);
  project.provide("workerVars", stack.vars);
  project.provide("sqlEndpointUrl", stack.sqlEndpoint.url);
  project.provide("upstash", { url: stack.upstashEndpoint.url, token: stack.upstashEndpoint.token, keyPrefix });
  project.provide("databaseUrl", stack.databaseUrl);
  project.provide("crossTenantDatabaseUrl", stack.crossTenantDatabaseUrl);
  project.provide("ownerDatabaseUrl", stack.ownerDatabaseUrl);
  project.provide("backendUrl", scratch?.url ?? null);
  project.provide("workerLogFile", workerLogFile);
  project.provide("authorizer", {
    url: authorizer.url,
    clientId: authorizer.clientId,
    webhookSecret: authorizer.webhookSecret,
    privateJwks: authorizer.privateJwks() as PrivateKeySet,
  });
  return async () => {
    await stack.stop();
    restoreConsole();
    await scratch?.drop();
    await deleteKeys(redisUrl, keyPrefix);
    const output = readFileSync(workerLogFile, "utf8");
    const leaks = findLeaks(output, stackSecrets(stack.vars, [scratch?.url]));
    if (leaks.length) {
      // Kept for reading; the error names where, never the secret itself. Vitest 4 reports a
      // teardown error but does not fail the run for it: the exit code does.
      process.exitCode = 1;
      throw new Error(`The Worker's output holds secrets: ${leaks.join("; ")} (in ${workerLogFile})`);
    }
    rmSync(logDir, { recursive: true, force: true });
  };
}
