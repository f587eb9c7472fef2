// Test-controlled faults for the local SQL-over-HTTP and Upstash endpoints: added latency, an HTTP
// error status, a dropped connection, or a request that never gets an answer. Tests switch them on
// over HTTP (`POST /faults`, `GET /faults`, `DELETE /faults` on the endpoint) or in process
// (`endpoint.faults`). Local endpoints only: production talks to Neon and Upstash, which have no
// such routes, and nothing here is reachable from a browser (requests with Origin are refused).
import type http from "node:http";

export type FaultKind = "latency" | "status" | "drop" | "hang";

/**
 * When the fault strikes:
 * - `before`: the request is not executed at all (the dependency never saw it);
 * - `during`: (SQL batches) every statement runs, then the transaction is rolled back instead of
 *   committed, as when the proxy loses its connection before COMMIT; a request that is not a batch
 *   is treated as `before`;
 * - `after`: the request is executed (and committed) and then the answer is lost or replaced, the
 *   hardest case for a client: the write happened but it cannot know.
 */
export type FaultPhase = "before" | "during" | "after";

export interface FaultMatch {
  /** The raw request body contains this text (SQL text, a parameter, a Redis command or key…). */
  contains?: string;
  /** The X-Request-Id header equals this (the Worker sends its request id with every SQL request). */
  requestId?: string;
  /** SQL endpoint: the Neon-Connection-String's user (e.g. the Worker's application role). */
  user?: string;
  /** The request path (Upstash: "/", "/pipeline", "/multi-exec"). */
  path?: string;
}

export interface FaultSpec {
  kind: FaultKind;
  /** latency: how long to wait (default 1000). */
  ms?: number;
  /** status: the HTTP status answered (default 503). */
  status?: number;
  /** How many matching requests it strikes; absent: every one until cleared. */
  count?: number;
  /** Explicitly "until DELETE /faults" (the default when count is absent). */
  untilCleared?: boolean;
  phase?: FaultPhase;
  match?: FaultMatch;
}

export interface Fault {
  id: number;
  kind: FaultKind;
  ms: number;
  status: number;
  phase: FaultPhase;
  match: FaultMatch;
  /** Strikes left; null = until cleared. */
  remaining: number | null;
  /** Requests it has struck so far. */
  hits: number;
}

/** What a request looks like to the matcher. */
export interface FaultTarget {
  path: string;
  body: string;
  requestId?: string | undefined;
  user?: string | undefined;
}

export class FaultSpecError extends Error {}

/** Thrown inside a batch (`during`) to roll it back; carries the fault whose effect follows. */
export class InjectedFault extends Error {
  constructor(readonly fault: Fault) {
    super(`injected fault #${fault.id} (${fault.kind}, ${fault.phase})`);
    this.name = "InjectedFault";
  }
}

const KINDS = new Set<FaultKind>(["latency", "status", "drop", "hang"]);
const PHASES = new Set<FaultPhase>(["before", "during", "after"]);
const MATCH_KEYS = new Set(["contains", "requestId", "user", "path"]);

export interface FaultInjector {
  add(spec: unknown): Fault;
  /** Removes every fault and releases every request held by a `hang`. Returns how many faults were removed. */
  clear(): number;
  list(): Fault[];
  /** The first active fault matching `target`, counted as a hit (undefined: none). */
  take(target: FaultTarget): Fault | undefined;
  /** Resolves when the faults are cleared, the endpoint closes, or the client goes away. */
  hold(res: http.ServerResponse): Promise<void>;
  /** Serves POST/GET/DELETE /faults; false if the request is not for /faults. */
  serve(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: () => Promise<string>): Promise<boolean>;
  /** Releases held requests for good (endpoint shutdown). */
  close(): void;
}

export function createFaultInjector(opts: { phases?: FaultPhase[] } = {}): FaultInjector {
  const allowedPhases = new Set(opts.phases ?? PHASES);
  let faults: Fault[] = [];
  let nextId = 1;
  let held = new Set<() => void>();

  function parse(spec: unknown): Fault {
    if (!spec || typeof spec !== "object" || Array.isArray(spec)) throw new FaultSpecError("a fault is a JSON object");
    const s = spec as Record<string, unknown>;
    if (!KINDS.has(s.kind as FaultKind)) throw new FaultSpecError(`kind must be one of ${[...KINDS].join(", ")}`);
    const phase = (s.phase ?? "before") as FaultPhase;
    if (!allowedPhases.has(phase)) throw new FaultSpecError(`phase must be one of ${[...allowedPhases].join(", ")}`);
    const int = (name: string, min: number, max: number, fallback: number): number => {
      const v = s[name] ?? fallback;
      if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
        throw new FaultSpecError(`${name} must be an integer from ${min} to ${max}`);
      return v;
    };
    if (s.kind === "latency" && phase === "during") throw new FaultSpecError("latency has no `during` phase (use before or after)");
    const ms = int("ms", 0, 600_000, 1000);
    const status = int("status", 400, 599, 503);
    if (s.count !== undefined && s.untilCleared === true) throw new FaultSpecError("give count or untilCleared, not both");
    const remaining = s.count === undefined ? null : int("count", 1, 1_000_000, 1);
    const match = (s.match ?? {}) as Record<string, unknown>;
    if (typeof match !== "object" || Array.isArray(match)) throw new FaultSpecError("match is an object");
    for (const [key, value] of Object.entries(match)) {
      if (!MATCH_KEYS.has(key)) throw new FaultSpecError(`unknown match field: ${key}`);
      if (typeof value !== "string" || value === "") throw new FaultSpecError(`match.${key} must be a non-empty string`);
    }
    return { id: nextId++, kind: s.kind as FaultKind, ms, status, phase, match: match as FaultMatch, remaining, hits: 0 };
  }

  const matches = (f: Fault, t: FaultTarget) =>
    (f.match.contains === undefined || t.body.includes(f.match.contains)) &&
    (f.match.requestId === undefined || t.requestId === f.match.requestId) &&
    (f.match.user === undefined || t.user === f.match.user) &&
    (f.match.path === undefined || t.path === f.match.path);

  const injector: FaultInjector = {
    add(spec) {
      const fault = parse(spec);
      faults.push(fault);
      return { ...fault };
    },
    clear() {
      const n = faults.length;
      faults = [];
      const release = held;
      held = new Set();
      for (const done of release) done();
      return n;
    },
    list: () => faults.map((f) => ({ ...f, match: { ...f.match } })),
    take(target) {
      const fault = faults.find((f) => f.remaining !== 0 && matches(f, target));
      if (!fault) return undefined;
      fault.hits++;
      if (fault.remaining !== null) fault.remaining--;
      // A spent fault stays listed (with its hits) until cleared, but never strikes again.
      return { ...fault };
    },
    hold(res) {
      return new Promise<void>((resolve) => {
        const done = () => {
          held.delete(done);
          resolve();
        };
        held.add(done);
        res.once("close", done);
      });
    },
    async serve(req, res, path, body) {
      if (path !== "/faults") return false;
      let status = 200;
      let answer: unknown;
      if (req.headers.origin !== undefined) {
        status = 403;
        answer = { error: "browser requests are not accepted" };
      } else if (req.method === "POST") {
        try {
          let spec: unknown;
          try {
            spec = JSON.parse(await body());
          } catch {
            throw new FaultSpecError("the body must be JSON");
          }
          status = 201;
          answer = { fault: injector.add(spec) };
        } catch (err) {
          if (!(err instanceof FaultSpecError)) throw err;
          status = 400;
          answer = { error: err.message };
        }
      } else if (req.method === "GET") {
        answer = { faults: injector.list() };
      } else if (req.method === "DELETE") {
        answer = { cleared: injector.clear() };
      } else {
        status = 405;
        answer = { error: "use POST, GET or DELETE" };
      }
      const text = JSON.stringify(answer);
      res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
      res.end(text);
      return true;
    },
    close() {
      injector.clear();
    },
  };
  return injector;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Carries out a fault's effect on the response: latency waits and lets the caller answer
 * normally (returns false); status answers the error; drop destroys the socket; hang holds the
 * request until cleared, then destroys it. Returns true when the response has been dealt with.
 */
export async function strike(fault: Fault, injector: FaultInjector, res: http.ServerResponse): Promise<boolean> {
  switch (fault.kind) {
    case "latency":
      await sleep(fault.ms);
      return false;
    case "status": {
      // Neon's proxy and Upstash answer their own failures with a short text/JSON body; the
      // clients throw without a SQLSTATE / Redis error, which is what a 5xx must produce.
      const text = JSON.stringify({ error: `injected fault #${fault.id}: HTTP ${fault.status}`, message: `injected fault #${fault.id}` });
      res.writeHead(fault.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
      res.end(text);
      return true;
    }
    case "drop":
      res.socket?.destroy();
      res.destroy();
      return true;
    case "hang":
      await injector.hold(res);
      res.socket?.destroy();
      res.destroy();
      return true;
  }
}
