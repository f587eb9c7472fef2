// Which Postgres a test talks to: a fresh database on the real server named by TEST_DATABASE_URL
// (created here, dropped by cleanup), or an in-memory PGlite when nothing is configured.
import { createScratchDatabase, openBackend, type Backend } from "../../ops/backend.js";

export interface TestBackend {
  backend: Backend;
  /** postgres:// URL of the scratch database (real server only). */
  url?: string;
  cleanup(): Promise<void>;
}

export const usingRealPostgres = Boolean(process.env.TEST_DATABASE_URL);

export async function openTestBackend(prefix = "apitest"): Promise<TestBackend> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const backend = await openBackend({});
    return { backend, cleanup: () => backend.close() };
  }
  const scratch = await createScratchDatabase(serverUrl, prefix);
  const backend = await openBackend({ databaseUrl: scratch.url });
  return {
    backend,
    url: scratch.url,
    async cleanup() {
      await backend.close();
      await scratch.drop();
    },
  };
}
