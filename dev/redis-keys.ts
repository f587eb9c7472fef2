// Cleaning up after a run that shared a real Redis: tests and benchmarks write under a prefix of
// their own and delete it at the end (SCAN + DEL, never KEYS or FLUSHDB on a shared server).
import { Redis as IORedis } from "ioredis";

/** Deletes every key under `prefix` on the Redis at `redisUrl` (nothing to do without one: in-memory store). */
export async function deleteKeys(redisUrl: string | undefined, prefix: string): Promise<void> {
  if (!redisUrl) return;
  const redis = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
