// A stack of one's own, for tests that count round trips, change settings or take a dependency
// away: its own Worker (one isolate, no other test's traffic), SQL and Upstash endpoints, on a
// scratch database of the real Postgres when TEST_DATABASE_URL is set (PGlite otherwise).
import pg from "pg";
import { mintWithPrivateJwks, type PrivateKeySet } from "../../dev/authorizer/index.js";
import { startLocalStack, type LocalStack, type LocalStackOptions } from "../../dev/stack.js";
import { newId } from "../../drizzle/ids.js";
import { createScratchDatabase, queryRows } from "../../ops/backend.js";
import { generateApiKey } from "../../src/auth/api-key-format.js";
import type { ApiKeyScope, UserRole } from "../../src/auth/policy.js";

export interface PrivateStack {
  stack: LocalStack;
  /** The scratch database's name on the real Postgres (absent on PGlite). */
  databaseName?: string;
  /** Stops the stack and drops its scratch database. */
  stop(): Promise<void>;
}

export async function startPrivateStack(label: string, options: Partial<LocalStackOptions> = {}): Promise<PrivateStack> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, `apitest_${label}`) : undefined;
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ backend: scratch ? { databaseUrl: scratch.url } : {}, logLevel: "none", ...options });
  } catch (err) {
    await scratch?.drop();
    throw err;
  }
  return {
    stack,
    ...(scratch ? { databaseName: scratch.name } : {}),
    async stop() {
      await stack.stop();
      await scratch?.drop();
    },
  };
}

export interface SeededCaller {
  clientId: string;
  userId: string;
  /** An access token of the user, from the stack's Authorizer stand-in. */
  token: string;
  /** An API key of the same client with `scopes`. */
  apiKey: string;
}

/** A client with one user of `role` and one API key, written as the owner. */
export async function seedCaller(
  stack: LocalStack,
  opts: { role?: UserRole; scopes?: ApiKeyScope[]; label?: string } = {},
): Promise<SeededCaller> {
  const clientId = newId();
  const userId = newId();
  const label = opts.label ?? "Private";
  await queryRows(stack.backend, `insert into clients (id, name, slug, "updatedAt") values ($1, $2, $1, now())`, [clientId, label]);
  await queryRows(
    stack.backend,
    `insert into users (id, "authorizerId", email, role, "clientId", "updatedAt") values ($1, $2, $3, $4, $5, now())`,
    [userId, `auth-${userId}`, `${userId}@private.test`, opts.role ?? "ADMIN", clientId],
  );
  const key = await generateApiKey();
  await queryRows(
    stack.backend,
    `insert into api_keys (id, "clientId", name, prefix, "keyHash", scopes, "updatedAt") values ($1, $2, $3, $4, $5, $6, now())`,
    [newId(), clientId, label, key.prefix, key.hash, opts.scopes ?? ["reports:read"]],
  );
  const authorizer = stack.authorizer!;
  const token = await mintWithPrivateJwks(authorizer.privateJwks() as PrivateKeySet, authorizer.url, authorizer.clientId, {
    sub: `auth-${userId}`,
  });
  return { clientId, userId, token, apiKey: key.key };
}

/** Ends every server connection to `database` on TEST_DATABASE_URL's server (real Postgres only); how many. */
export async function terminateConnections(database: string): Promise<number> {
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  admin.on("error", () => {});
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: number }>(
      "select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()) t",
      [database],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await admin.end();
  }
}
