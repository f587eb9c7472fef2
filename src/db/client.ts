// The one production path to Postgres: Drizzle over Neon's SQL-over-HTTP driver. A client is built
// per request (I/O objects cannot be shared across requests on Workers); neonConfig is
// module-global and is set once per isolate from configuration.
import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import * as schema from "../../drizzle/schema.js";
import type { Config } from "../env.js";

export type Database = NeonHttpDatabase<typeof schema>;

let configuredEndpoint: string | undefined;

export interface DatabaseOptions {
  /** Abort the round trip after this long (the driver has no timeout of its own). */
  timeoutMs?: number;
  /** Sent as X-Request-Id on every SQL-over-HTTP request, so a request's round trips can be traced (and counted locally). */
  requestId?: string;
}

/**
 * The driver replaces its own headers with `fetchOptions.headers` rather than merging them, so the
 * request id travels as an extra fetch option and this fetch function turns it into a header.
 */
async function fetchWithRequestId(input: string | URL | Request, init: RequestInit & { requestId?: string } = {}): Promise<Response> {
  const { requestId, ...rest } = init;
  if (requestId) rest.headers = { ...(rest.headers as Record<string, string>), "X-Request-Id": requestId };
  return fetch(input, rest);
}
neonConfig.fetchFunction = fetchWithRequestId;

export function createDatabase(config: Config, options: DatabaseOptions = {}): Database {
  if (config.NEON_HTTP_ENDPOINT && configuredEndpoint !== config.NEON_HTTP_ENDPOINT) {
    neonConfig.fetchEndpoint = config.NEON_HTTP_ENDPOINT;
    configuredEndpoint = config.NEON_HTTP_ENDPOINT;
  }
  const sql = neon(config.DATABASE_URL, {
    fetchOptions: {
      signal: AbortSignal.timeout(options.timeoutMs ?? config.DB_TIMEOUT_MS),
      ...(options.requestId ? { requestId: options.requestId } : {}),
    },
  });
  return drizzle({ client: sql, schema });
}
