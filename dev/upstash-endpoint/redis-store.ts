// A real Redis through ioredis. Replies come back as Buffers (callBuffer), so binary values
// round-trip byte for byte. A Redis that is down does not stop the endpoint from starting: commands
// fail at once (no offline queue) with a 500, and ioredis keeps reconnecting in the background.
import { Redis } from "ioredis";
import type { Reply } from "./protocol.js";
import { RedisReplyError } from "./protocol.js";
import type { Outcome, Store } from "./store.js";

export function createRedisStore(url: string): Store {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    connectTimeout: 2000,
  });
  redis.on("error", () => {}); // reported per command; ioredis would print every reconnect otherwise
  // Starting waits (briefly) for the first connection, so the first commands find it open; a Redis
  // that is down does not stop the endpoint from starting.
  const connecting = redis.connect().then(
    () => true,
    () => false,
  );
  const u = new URL(url);
  if (u.password) u.password = "***";
  return {
    label: u.toString(),
    ready: () => Promise.race([connecting, new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref())]),
    async command(args) {
      try {
        return (await redis.callBuffer(args[0]!, args.slice(1))) as Reply;
      } catch (err) {
        throw asReplyError(err);
      }
    },
    async transaction(commands) {
      const multi = redis.multi();
      for (const args of commands) multi.callBuffer(args[0]!, args.slice(1));
      let results: [Error | null, unknown][] | null;
      try {
        results = await multi.exec();
      } catch (err) {
        throw asReplyError(err);
      }
      if (!results) throw new RedisReplyError("EXECABORT Transaction discarded.");
      return results.map(([err, result]): Outcome => (err ? { error: err.message } : { result: result as Reply }));
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      redis.disconnect();
    },
  };
}

/** Redis' own errors (ReplyError) pass through; anything else (not connected…) is not a reply. */
function asReplyError(err: unknown): Error {
  if (err instanceof Error && err.name === "ReplyError") return new RedisReplyError(err.message);
  return err instanceof Error ? err : new Error(String(err));
}
