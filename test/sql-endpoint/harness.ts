// Shared set-up for the SQL-over-HTTP endpoint tests: a test backend (PGlite, or a scratch
// database when TEST_DATABASE_URL is set) with the endpoint in front of it on a free port.
import { startSqlEndpoint, type SqlEndpoint, type SqlEndpointOptions } from "../../dev/sql-endpoint/index.js";
import { openTestBackend, type TestBackend } from "../support/test-backend.js";

export interface Harness {
  tb: TestBackend;
  endpoint: SqlEndpoint;
  /**
   * What the app would put in DATABASE_URL. On a real server the endpoint connects with it, so it
   * must be the scratch database's URL; on PGlite any postgres:// URL with user postgres will do.
   */
  connectionString: string;
  close(): Promise<void>;
}

export async function startHarness(prefix: string): Promise<Harness> {
  const tb = await openTestBackend(prefix);
  const endpoint = await startSqlEndpoint({ backend: tb.backend, port: 0 });
  return {
    tb,
    endpoint,
    connectionString: tb.url ?? "postgresql://postgres:pw@localhost:5432/postgres",
    async close() {
      await endpoint.close();
      await tb.cleanup();
    },
  };
}

/** A second endpoint on the same backend, e.g. with other limits. */
export function startExtraEndpoint(h: Harness, opts: Omit<SqlEndpointOptions, "backend">): Promise<SqlEndpoint> {
  return startSqlEndpoint({ backend: h.tb.backend, port: 0, ...opts });
}

/** The same connection string with another user (and password). */
export function asUser(connectionString: string, user: string, password = "pw"): string {
  const url = new URL(connectionString);
  url.username = user;
  url.password = password;
  return url.toString();
}

/** A unique name for objects that outlive a database (roles are cluster-wide on a real server). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** A hand-made request, for what the official client never sends. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; contentType: string | null; text: string; json(): any }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get("content-type"), text, json: () => JSON.parse(text) };
}

/** The headers @neondatabase/serverless 1.2 sends with every request. */
export function clientHeaders(connectionString: string): Record<string, string> {
  return {
    "Neon-Connection-String": connectionString,
    "Neon-Raw-Text-Output": "true",
    "Neon-Array-Mode": "true",
  };
}
