// The zero-install store: ioredis-mock, an in-memory Redis whose Lua runs on fengari (Lua 5.3).
// It runs @upstash/ratelimit's scripts unchanged; the endpoint's conformance tests run against it
// and against a real Redis alike. What this file adds to make it answer like Redis:
// - commands run one at a time (a script or a MULTI is atomic, as on Redis);
// - unknown commands and wrong argument counts are refused with Redis' texts (@ioredis/commands
//   knows every command's arity), and its "wrong kind of value" errors become WRONGTYPE;
// - inside scripts, array replies become Lua tables with nil bulk strings as false (PRELUDE), and
//   tables a script fills by assignment are returned as arrays (wrap);
// - script replies are converted as Redis converts Lua values: false → nil, true → 1, numbers
//   truncated to integers;
// - STRLEN counts bytes (ioredis-mock counts UTF-16 units);
// - SET's options are case-insensitive (ioredis-mock knows only `NX`, `EX`…; Upstash's client sends
//   `set k v ex 660 nx`, which it took for a plain SET without expiry);
// - EVALSHA, SCRIPT LOAD/EXISTS/FLUSH work from a script table kept here (ioredis-mock has no SCRIPT).
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import RedisMock from "ioredis-mock";
import type { Reply } from "./protocol.js";
import { RedisReplyError } from "./protocol.js";
import { sha1 } from "./scripts.js";
import type { Outcome, Store } from "./store.js";

/**
 * Runs before every script. ioredis-mock hands a command's array reply to Lua as a JS proxy whose
 * missing values are JS nulls; Redis gives a Lua table whose nil bulk strings are `false` (scripts test
 * `== false`, @upstash/ratelimit's token bucket among them). This wraps redis.call/pcall to convert.
 */
const PRELUDE = `local __upstash_call, __upstash_pcall = redis.call, redis.pcall
local function __upstash_table(v)
  if type(v) ~= "userdata" then return v end
  local t = {}
  for i = 1, #v do
    local e = v[i]
    if e == nil or (type(e) == "userdata" and tostring(e) == "null") then t[i] = false else t[i] = e end
  end
  return t
end
redis.call = function(...) return __upstash_table(__upstash_call(...)) end
redis.pcall = function(...) return __upstash_table(__upstash_pcall(...)) end
`;

/**
 * ioredis-mock only reads a returned table as an array when it was written as a constructor
 * (`{a, b}`); one filled by assignment (`t[i] = v`, `table.insert`) fails to convert. The script runs
 * as a function and an array-like result is returned through a constructor.
 */
const wrap = (script: string) => `${PRELUDE}local __upstash_result = (function()
${script}
end)()
if type(__upstash_result) == "table" and __upstash_result[1] ~= nil then
  return {table.unpack(__upstash_result, 1, #__upstash_result)}
end
return __upstash_result
`;

type Mock = Record<string, (...args: unknown[]) => Promise<unknown>>;

// Every Redis command and its arity (negative: at least that many), as ioredis itself knows them.
const commandTable = createRequire(import.meta.url)("@ioredis/commands/built/commands.json") as Record<string, { arity: number }>;
const arities: Record<string, number> = Object.fromEntries(Object.entries(commandTable).map(([name, c]) => [name, c.arity]));

export function createMemoryStore(): Store {
  // ioredis-mock shares data between instances with the same host and port: make this one private.
  const mock = new RedisMock({ host: `memory-${randomUUID()}`, lazyConnect: false }) as unknown as Mock;
  const scripts = new Map<string, string>();
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => {});
    return next;
  };

  async function run(args: string[]): Promise<Reply> {
    const name = args[0]!.toLowerCase();
    const rest = args.slice(1);
    checkArity(args);
    switch (name) {
      case "eval":
      case "eval_ro":
        scripts.set(sha1(rest[0]!), rest[0]!);
        return luaReply(await call(mock, "eval", [wrap(rest[0]!), ...rest.slice(1)]));
      case "evalsha":
      case "evalsha_ro": {
        const script = scripts.get(rest[0]!.toLowerCase());
        if (script === undefined) throw new RedisReplyError("NOSCRIPT No matching script. Please use EVAL.");
        return luaReply(await call(mock, "eval", [wrap(script), ...rest.slice(1)]));
      }
      case "script": {
        const sub = rest[0]!.toLowerCase();
        if (sub === "load" && rest[1] !== undefined) {
          scripts.set(sha1(rest[1]), rest[1]);
          return sha1(rest[1]);
        }
        if (sub === "exists") return rest.slice(1).map((s) => (scripts.has(s.toLowerCase()) ? 1 : 0));
        if (sub === "flush") {
          scripts.clear();
          return "OK";
        }
        throw new RedisReplyError(`ERR unknown subcommand '${rest[0]}'. Try SCRIPT HELP.`);
      }
      case "set":
        return (await call(mock, "set", [
          rest[0]!,
          rest[1]!,
          ...rest.slice(2).map((o) => (/^[a-z]+$/i.test(o) ? o.toUpperCase() : o)),
        ])) as Reply;
      case "strlen": {
        // ioredis-mock counts UTF-16 units; Redis counts bytes.
        const value = (await call(mock, "get", rest)) as string | null;
        return value === null ? 0 : Buffer.byteLength(value);
      }
      default:
        return (await call(mock, name, rest)) as Reply;
    }
  }

  return {
    label: "memory",
    command: (args) => serialized(() => run(args)),
    transaction: (cmds) =>
      serialized(async () => {
        // Like MULTI: refusals found while queueing (unknown command, arity) discard everything.
        for (const args of cmds) {
          try {
            checkArity(args);
          } catch {
            throw new RedisReplyError("EXECABORT Transaction discarded because of previous errors.");
          }
        }
        const out: Outcome[] = [];
        for (const args of cmds) {
          try {
            out.push({ result: await run(args) });
          } catch (err) {
            out.push({ error: err instanceof Error ? err.message : String(err) });
          }
        }
        return out;
      }),
    ready: async () => true,
    async ping() {},
    async close() {
      await call(mock, "flushall", []).catch(() => {});
    },
  };
}

function checkArity(args: string[]): void {
  const name = args[0]!.toLowerCase();
  const arity = arities[name];
  if (arity === undefined) {
    const preview = args
      .slice(1, 4)
      .map((a) => `'${a}'`)
      .join(" ");
    throw new RedisReplyError(`ERR unknown command '${args[0]}', with args beginning with: ${preview}`);
  }
  if ((arity > 0 && args.length !== arity) || (arity < 0 && args.length < -arity)) {
    throw new RedisReplyError(`ERR wrong number of arguments for '${name}' command`);
  }
}

async function call(mock: Mock, name: string, args: string[]): Promise<unknown> {
  const method = mock[name];
  if (typeof method !== "function") throw new RedisReplyError(`ERR unknown command '${name}' (not supported by the in-memory store)`);
  try {
    return await method.apply(mock, args);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/does not contain a|wrong kind of value/i.test(message)) {
      throw new RedisReplyError("WRONGTYPE Operation against a key holding the wrong kind of value");
    }
    throw new RedisReplyError(/^[A-Z]+ /.test(message) ? message : `ERR ${message}`);
  }
}

/** Lua values as Redis returns them: false → nil, true → 1, numbers → integers (truncated). */
function luaReply(value: unknown): Reply {
  if (value === false || value === null || value === undefined) return null;
  if (value === true) return 1;
  if (typeof value === "number") return Math.trunc(value);
  if (Array.isArray(value)) {
    // A Lua table ends at its first nil; false inside it is a nil reply.
    const out: Reply[] = [];
    for (const v of value) {
      if (v === null || v === undefined) break;
      out.push(v === false ? null : luaReply(v));
    }
    return out;
  }
  return value as Reply;
}
