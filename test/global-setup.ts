// Starts the local stack once for the whole run: a Postgres (a fresh database on the server named by
// TEST_DATABASE_URL, dropped afterwards; else in-memory PGlite), migrated, behind the Neon-protocol
// SQL endpoint, the Authorizer stand-in, and the real Worker in workerd. Test files reach it
// through inject().
import type { TestProject } from "vitest/node";
import { createScratchDatabase } from "../ops/backend.js";
import type { PrivateKeySet } from "../dev/authorizer/index.js";
import { startLocalStack, type LocalStack } from "../dev/stack.js";
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
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, "apitest") : undefined;
  // On a real Redis (TEST_REDIS_URL) the run's quota keys live under a prefix of their own, deleted at the end.
  const redisUrl = process.env.TEST_REDIS_URL;
  const keyPrefix = `apitest:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}:quota:`;
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      backend: scratch ? { databaseUrl: scratch.url } : {},
      logLevel: "error",
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
  project.provide("authorizer", {
    url: authorizer.url,
    clientId: authorizer.clientId,
    webhookSecret: authorizer.webhookSecret,
    privateJwks: authorizer.privateJwks() as PrivateKeySet,
  });
  return async () => {
    await stack.stop();
    await scratch?.drop();
    await deleteKeys(redisUrl, keyPrefix);
  };
}
