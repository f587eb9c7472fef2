// The one production path to Postgres: Drizzle over Neon's SQL-over-HTTP driver. A client is built
// per request (I/O objects cannot be shared across requests on Workers); neonConfig is
// module-global and is set once per isolate from configuration.
//
// Two connections, two roles: `createDatabase` is the application role (DATABASE_URL), held inside
// row-level security by signed tenant claims (src/db/claim.ts, bound here so callers never pass
// the secret); `createCrossTenantDatabase` is the separately configured cross-tenant role
// (CROSS_TENANT_DATABASE_URL), the only way to see across tenants (src/db/tenant.ts).
import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import * as schema from "../../drizzle/schema.js";
import type { Config } from "../env.js";
import { bindTenantClaimSecret, markCrossTenant } from "./claim.js";

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

function connect(config: Config, url: string, options: DatabaseOptions): Database {
  if (config.NEON_HTTP_ENDPOINT && configuredEndpoint !== config.NEON_HTTP_ENDPOINT) {
    neonConfig.fetchEndpoint = config.NEON_HTTP_ENDPOINT;
    configuredEndpoint = config.NEON_HTTP_ENDPOINT;
  }
  const sql = neon(url, {
    fetchOptions: {
      signal: AbortSignal.timeout(options.timeoutMs ?? config.DB_TIMEOUT_MS),
      ...(options.requestId ? { requestId: options.requestId } : {}),
    },
  });
  return drizzle({ client: sql, schema });
}

/** The application role; its tenant batches are signed with TENANT_CLAIM_SECRET. */
export function createDatabase(config: Config, options: DatabaseOptions = {}): Database {
  return bindTenantClaimSecret(connect(config, config.DATABASE_URL, options), config.TENANT_CLAIM_SECRET);
}

/** The cross-tenant role: only crossTenantBatch accepts it, and only it works there. */
export function createCrossTenantDatabase(config: Config, options: DatabaseOptions = {}): Database {
  return markCrossTenant(connect(config, config.CROSS_TENANT_DATABASE_URL, options));
}
