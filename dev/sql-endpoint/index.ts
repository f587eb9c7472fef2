// A local HTTP endpoint speaking Neon's SQL-over-HTTP protocol in front of a Backend (PGlite or a
// real Postgres), so `neon()` / drizzle-orm/neon-http run unchanged with
// `neonConfig.fetchEndpoint = endpoint.url`. See README.md beside this file for the protocol notes.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Backend } from "../../ops/backend.js";
import { createFaultInjector, InjectedFault, strike, type Fault, type FaultInjector } from "../fault-injection.js";
import type { Executor } from "./executor.js";
import { createPgExecutor } from "./pg-executor.js";
import { createPgliteExecutor } from "./pglite-executor.js";
import { HttpError, databaseErrorBody, formatResult, isDatabaseError, parseHeaders, parsePayload } from "./protocol.js";

export interface SqlEndpointStats {
  /** SQL requests received (POST), whatever their outcome: one per HTTP round trip. */
  requests: number;
  /** Statements in those requests (a batch counts each of its queries). */
  queries: number;
  /** SQL requests per user named in the Neon-Connection-String header. */
  byConnectionUser: Record<string, number>;
}

/** How many SQL requests carried each X-Request-Id (the Worker sends its request id): the most recent ids only. */
const TRACKED_REQUEST_IDS = 50_000;

export interface SqlEndpoint {
  /** e.g. http://127.0.0.1:PORT/sql */
  url: string;
  port: number;
  stats(): SqlEndpointStats;
  resetStats(): void;
  /** SQL requests that carried this X-Request-Id (0 if none). Also served as GET /stats/requests/<id>. */
  requestsFor(requestId: string): number;
  /** Test-controlled faults (also served as POST/GET/DELETE /faults); see README.md. */
  faults: FaultInjector;
  close(): Promise<void>;
}

export interface SqlEndpointOptions {
  backend: Backend;
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Neon answers 507 past 10 MiB of response. Default 10 MiB. */
  maxResponseBytes?: number;
  /** Request bodies past this size are answered 413. Default 10 MiB. */
  maxRequestBytes?: number;
  /** One line per request (method, path, query count, ms, status); off by default. */
  log?: (line: string) => void;
}

const MiB = 1024 * 1024;

interface Reply {
  status: number;
  body: string;
  contentType: "application/json" | "text/plain; charset=utf-8";
}

/** The response was already dealt with by an injected fault (error status, dropped, held). */
const STRUCK = Symbol("struck");

const json = (status: number, value: unknown): Reply => ({
  status,
  body: JSON.stringify(value),
  contentType: "application/json",
});

export async function startSqlEndpoint(opts: SqlEndpointOptions): Promise<SqlEndpoint> {
  const { backend, log } = opts;
  const maxResponseBytes = opts.maxResponseBytes ?? 10 * MiB;
  const maxRequestBytes = opts.maxRequestBytes ?? 10 * MiB;
  const executor: Executor = backend.kind === "pglite" ? createPgliteExecutor(backend.db) : createPgExecutor();
  let stats: SqlEndpointStats = { requests: 0, queries: 0, byConnectionUser: {} };
  const byRequestId = new Map<string, number>();
  const faults = createFaultInjector();
  const countRequestId = (id: string | undefined) => {
    if (!id) return;
    if (!byRequestId.has(id) && byRequestId.size >= TRACKED_REQUEST_IDS) {
      const oldest = byRequestId.keys().next().value;
      if (oldest !== undefined) byRequestId.delete(oldest);
    }
    byRequestId.set(id, (byRequestId.get(id) ?? 0) + 1);
  };

  /** Answers one SQL request; `seen.queries` is set as soon as the body is parsed (for the log). */
  async function handleSql(req: http.IncomingMessage, res: http.ServerResponse, seen: { queries: number }): Promise<Reply | typeof STRUCK> {
    stats.requests++;
    const header = req.headers["x-request-id"];
    const requestId = Array.isArray(header) ? header[0] : header;
    countRequestId(requestId);
    const options = parseHeaders(req.headers);
    stats.byConnectionUser[options.user] = (stats.byConnectionUser[options.user] ?? 0) + 1;
    const raw = await readBody(req, maxRequestBytes);
    const payload = parsePayload(raw);
    stats.queries += payload.queries.length;
    seen.queries = payload.queries.length;

    // Counted above whatever happens next, so a test sees every attempt the Worker made.
    let fault: Fault | undefined = faults.take({ path: "/sql", body: raw, requestId, user: options.user });
    if (fault && (fault.phase === "before" || (fault.phase === "during" && !payload.batch))) {
      if (await strike(fault, faults, res)) return STRUCK;
      fault = undefined; // latency served: carry on normally
    }

    // Results are serialized as they arrive, so the size limit can abort (and roll back) a batch.
    const parts: string[] = [];
    let size = 0;
    try {
      await executor.execute({
        connectionString: options.connectionString,
        user: options.user,
        queries: payload.queries,
        batch: payload.batch ? options.batch : undefined,
        onResult(result, i) {
          const arrayMode = payload.queries[i]!.arrayMode ?? options.arrayMode;
          const part = JSON.stringify(formatResult(result, { arrayMode, rawTextOutput: options.rawTextOutput }));
          size += Buffer.byteLength(part);
          if (size > maxResponseBytes) {
            throw new HttpError(507, `response is too large (max is ${maxResponseBytes} bytes)`);
          }
          parts.push(part);
          // Every statement has run; throwing here rolls the whole batch back instead of committing.
          if (fault?.phase === "during" && i === payload.queries.length - 1) throw new InjectedFault(fault);
        },
      });
    } catch (err) {
      if (!(err instanceof InjectedFault)) throw err;
      if (await strike(err.fault, faults, res)) return STRUCK;
      // Not reached: latency, the one kind that answers normally, is refused with `during`.
      throw new HttpError(500, `injected fault #${err.fault.id}: the transaction was rolled back`);
    }
    if (fault?.phase === "after" && (await strike(fault, faults, res))) return STRUCK;
    const body = payload.batch ? `{"results":[${parts.join(",")}]}` : parts[0]!;
    return { status: 200, body, contentType: "application/json" };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    let reply: Reply;
    const seen = { queries: 0 };
    try {
      if (await faults.serve(req, res, path, () => readBody(req, maxRequestBytes))) return;
      if (req.method === "GET" && path === "/health") {
        reply = json(200, { status: "ok", backend: backend.label });
      } else if (req.method === "GET" && path.startsWith("/stats/requests/")) {
        const id = decodeURIComponent(path.slice("/stats/requests/".length));
        reply = json(200, { requestId: id, requests: byRequestId.get(id) ?? 0 });
      } else if (path !== "/sql" && path !== "/") {
        reply = json(404, { message: `not found: ${path}` });
      } else if (req.headers.origin !== undefined) {
        // Browsers send Origin on cross-origin requests and preflights; the Worker (and every Node
        // client here) calls server-side without one. No page may drive this endpoint, so no
        // preflight succeeds and no CORS header is ever sent.
        reply = json(403, { message: "browser requests are not accepted: this endpoint serves the Worker, server-side" });
      } else if (req.method !== "POST") {
        reply = json(405, { message: "use POST" });
      } else {
        const answer = await handleSql(req, res, seen);
        if (answer === STRUCK) {
          log?.(`${req.method} ${path} ${seen.queries}q ${Math.round(performance.now() - started)}ms injected fault`);
          return;
        }
        reply = answer;
      }
    } catch (err) {
      reply = errorReply(err);
    }
    res.writeHead(reply.status, {
      "Content-Type": reply.contentType,
      "Content-Length": Buffer.byteLength(reply.body),
      // No Access-Control-Allow-* headers (Neon's proxy sends `*`): only the Worker calls this.
      ...(reply.status === 405 ? { Allow: "POST" } : {}),
    });
    res.end(reply.body);
    log?.(`${req.method} ${path} ${seen.queries}q ${Math.round(performance.now() - started)}ms ${reply.status}`);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === "IPv6" ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}/sql`,
    port,
    stats: () => ({ ...stats, byConnectionUser: { ...stats.byConnectionUser } }),
    resetStats: () => {
      stats = { requests: 0, queries: 0, byConnectionUser: {} };
      byRequestId.clear();
    },
    requestsFor: (requestId) => byRequestId.get(requestId) ?? 0,
    faults,
    async close() {
      faults.close(); // held (hanging) requests are let go, or close() would wait for them
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets would hold close() open
      });
      await executor.close();
    },
  };
}

function errorReply(err: unknown): Reply {
  if (err instanceof HttpError) return json(err.status, { message: err.message });
  // Postgres' own errors: 400 with its fields, which the client copies onto NeonDbError.
  if (isDatabaseError(err)) return json(400, databaseErrorBody(err));
  // Anything else (backend unreachable, bug): 500 with a text body, as Neon's proxy does; the
  // client then throws "Server error (HTTP status 500): ..." without a SQLSTATE.
  const message = err instanceof Error ? err.message : String(err);
  return { status: 500, body: message, contentType: "text/plain; charset=utf-8" };
}

/** The request body as text; past `limit` bytes the rest is drained unread and 413 answered. */
async function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw new HttpError(413, `request is too large (max is ${limit} bytes)`);
  return Buffer.concat(chunks).toString("utf8");
}
