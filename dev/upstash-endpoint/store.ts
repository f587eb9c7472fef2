// Where commands run: a real Redis (ioredis) or an in-memory one (ioredis-mock, whose Lua runs on
// fengari). Both take commands as argument arrays and answer Redis replies; a command Redis would
// refuse throws RedisReplyError with Redis' text.
import type { Reply } from "./protocol.js";

export type Outcome<T = Reply> = { result: T } | { error: string };

export interface Store {
  /** "redis://host:port/db" (password hidden) or "memory". */
  label: string;
  command(args: string[]): Promise<Reply>;
  /** MULTI … EXEC: a command refused while queueing aborts all (RedisReplyError EXECABORT). */
  transaction(commands: string[][]): Promise<Outcome[]>;
  /** Resolves once the store can take commands: true, or false when it is unreachable (for now). */
  ready(): Promise<boolean>;
  /** Resolves when the store answers PING. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
