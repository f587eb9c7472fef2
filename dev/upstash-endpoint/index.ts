// A local HTTP endpoint speaking Upstash's Redis REST protocol in front of a real Redis (ioredis)
// or an in-memory one (ioredis-mock), so @upstash/redis and @upstash/ratelimit run unchanged with
// `url: endpoint.url, token: endpoint.token`. See README.md beside this file for the protocol notes.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createFaultInjector, strike, type FaultInjector } from "../fault-injection.js";
import { createMemoryStore } from "./memory-store.js";
import { encodeReply, errorText, HttpError, parseCommand, parseCommands, RedisReplyError } from "./protocol.js";
import { createRedisStore } from "./redis-store.js";
import { ScriptRegistry } from "./scripts.js";
import type { Store } from "./store.js";

export interface UpstashEndpointStats {
  /** Requests received on /, /pipeline and /multi-exec, whatever their outcome: one per round trip. */
  requests: number;
  /** Commands in those requests (a pipeline counts each of its commands). */
  commands: number;
  /** Requests per path ("/", "/pipeline", "/multi-exec"). */
  byPath: Record<string, number>;
  /** Commands per command name (upper case). */
  byCommand: Record<string, number>;
}

export interface UpstashEndpoint {
  /** e.g. http://127.0.0.1:PORT (UPSTASH_REDIS_REST_URL) */
  url: string;
  /** The bearer token it accepts (UPSTASH_REDIS_REST_TOKEN). */
  token: string;
  port: number;
  /** "memory" or the Redis URL (password hidden). */
  store: string;
  /** False when the real Redis could not be reached at start (the endpoint answers 500 until it can). */
  connected: boolean;
  stats(): UpstashEndpointStats;
  resetStats(): void;
  /** Test-controlled faults (also served as POST/GET/DELETE /faults); see README.md. */
  faults: FaultInjector;
  close(): Promise<void>;
}

export interface UpstashEndpointOptions {
  /** A real Redis (redis://…); absent = the in-memory store. */
  redisUrl?: string;
  /** Default: a random token. */
  token?: string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Request bodies past this size are answered 413. Default 1 MiB. */
  maxRequestBytes?: number;
  /** One line per request (path, commands, ms, status); off by default. */
  log?: (line: string) => void;
}

interface Reply {
  status: number;
  body: unknown;
}

/** The response was already dealt with by an injected fault (error status, dropped, held). */
const STRUCK = Symbol("struck");

const emptyStats = (): UpstashEndpointStats => ({ requests: 0, commands: 0, byPath: {}, byCommand: {} });

export async function startUpstashEndpoint(opts: UpstashEndpointOptions = {}): Promise<UpstashEndpoint> {
  const token = opts.token ?? randomBytes(24).toString("base64url");
  const store: Store = opts.redisUrl ? createRedisStore(opts.redisUrl) : createMemoryStore();
  const connected = await store.ready();
  if (!connected) opts.log?.(`redis at ${store.label} is unreachable: commands answer 500 until it is back`);
  const scripts = new ScriptRegistry();
  const maxRequestBytes = opts.maxRequestBytes ?? 1024 * 1024;
  let stats = emptyStats();
  // No transaction spans several requests here, so a fault strikes before or after the commands run.
  const faults = createFaultInjector({ phases: ["before", "after"] });

  const count = (path: string, commands: string[][]) => {
    stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
    stats.commands += commands.length;
    for (const c of commands) {
      const name = c[0]!.toUpperCase();
      stats.byCommand[name] = (stats.byCommand[name] ?? 0) + 1;
    }
  };

  /** One command through the store, with the script rewrites applied. */
  async function runOne(args: string[]): Promise<unknown> {
    const reply = await store.command(scripts.rewrite(args));
    return ScriptRegistry.loadAnswer(args) ?? reply;
  }

  async function handleCommands(
    path: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    base64: boolean,
  ): Promise<Reply | typeof STRUCK> {
    stats.requests++;
    const raw = await readBody(req, maxRequestBytes);
    const fault = faults.take({ path, body: raw });
    if (fault?.phase === "before" && (await strike(fault, faults, res))) return STRUCK;
    const reply = await runCommands(path, parseJson(raw), base64);
    if (fault?.phase === "after" && (await strike(fault, faults, res))) return STRUCK;
    return reply;
  }

  async function runCommands(path: string, body: unknown, base64: boolean): Promise<Reply> {
    if (path === "/") {
      const args = parseCommand(body);
      count(path, [args]);
      try {
        return { status: 200, body: { result: encodeReply((await runOne(args)) as never, base64) } };
      } catch (err) {
        if (err instanceof RedisReplyError) return { status: 400, body: { error: err.message } };
        throw err;
      }
    }
    const commands = parseCommands(body);
    count(path, commands);
    if (path === "/pipeline") {
      const out: unknown[] = [];
      for (const args of commands) {
        try {
          out.push({ result: encodeReply((await runOne(args)) as never, base64) });
        } catch (err) {
          if (!(err instanceof RedisReplyError)) throw err; // the store is unreachable: the whole request fails
          out.push({ error: err.message });
        }
      }
      return { status: 200, body: out };
    }
    try {
      const results = await store.transaction(commands.map((c) => scripts.rewrite(c)));
      return {
        status: 200,
        body: results.map((r, i) =>
          "error" in r
            ? { error: r.error }
            : { result: encodeReply((ScriptRegistry.loadAnswer(commands[i]!) ?? r.result) as never, base64) },
        ),
      };
    } catch (err) {
      if (err instanceof RedisReplyError) return { status: 400, body: { error: err.message } };
      throw err;
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const path = new URL(req.url ?? "/", "http://localhost").pathname.replace(/(.)\/$/, "$1");
    let reply: Reply;
    try {
      if (await faults.serve(req, res, path, () => readBody(req, maxRequestBytes))) return;
      if (req.method === "GET" && path === "/health") {
        reply = { status: 200, body: { status: "ok", store: store.label } };
      } else if (path !== "/" && path !== "/pipeline" && path !== "/multi-exec") {
        reply = { status: 404, body: { error: `ERR not found: ${path}` } };
      } else if (req.method !== "POST") {
        reply = { status: 405, body: { error: "ERR method not allowed: use POST" } };
      } else if (!authorized(req.headers.authorization, token)) {
        stats.requests++;
        reply = { status: 401, body: { error: "WRONGPASS invalid or missing auth token" } };
      } else {
        const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
        const answer = await handleCommands(path, req, res, base64);
        if (answer === STRUCK) {
          opts.log?.(`${req.method} ${path} ${Math.round(performance.now() - started)}ms injected fault`);
          return;
        }
        reply = answer;
      }
    } catch (err) {
      reply =
        err instanceof HttpError
          ? { status: err.status, body: { error: err.message } }
          : { status: 500, body: { error: `ERR ${errorText(err)}` } };
    }
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
    opts.log?.(`${req.method} ${path} ${Math.round(performance.now() - started)}ms ${reply.status}`);
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
    url: `http://${host}:${port}`,
    token,
    port,
    store: store.label,
    connected,
    stats: () => ({ ...stats, byPath: { ...stats.byPath }, byCommand: { ...stats.byCommand } }),
    resetStats: () => {
      stats = emptyStats();
    },
    faults,
    async close() {
      faults.close(); // held (hanging) requests are let go, or close() would wait for them
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
    },
  };
}

function authorized(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? "");
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "ERR failed to parse request body as JSON");
  }
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw new HttpError(413, `ERR request is too large (max is ${limit} bytes)`);
  return Buffer.concat(chunks).toString("utf8");
}
