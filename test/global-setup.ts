// Starts the local stack once for the whole run: a Postgres (a fresh database on the server named by
// TEST_DATABASE_URL, dropped afterwards; else in-memory PGlite), migrated, behind the Neon-protocol
// SQL endpoint, and the real Worker in workerd. Test files reach it through inject().
import type { TestProject } from "vitest/node";
import { createScratchDatabase } from "../dev/backend.js";
import { startLocalStack, type LocalStack } from "../dev/stack.js";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    sqlEndpointUrl: string;
    /** The Worker's DATABASE_URL; the SQL endpoint connects with it (owner role for now). */
    databaseUrl: string;
    /** Real Postgres only: the scratch database's URL. */
    backendUrl: string | null;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, "apitest") : undefined;
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ backend: scratch ? { databaseUrl: scratch.url } : {}, logLevel: "error" });
  } catch (err) {
    await scratch?.drop();
    throw err;
  }
  project.provide("apiUrl", stack.worker.url);
  project.provide("sqlEndpointUrl", stack.sqlEndpoint.url);
  project.provide("databaseUrl", stack.databaseUrl);
  project.provide("backendUrl", scratch?.url ?? null);
  return async () => {
    await stack.stop();
    await scratch?.drop();
  };
}
