// The one way the Worker builds its Upstash client, shared by the quota limiter and the limit on
// failed authentications: fail fast (no client retries, every round trip bounded by
// UPSTASH_TIMEOUT_MS) and pipeline commands issued in the same tick into one REST request.
import { Redis } from "@upstash/redis/cloudflare";
import type { Config } from "../env.js";

/**
 * Upstash's client for this request, or null when Upstash is not configured. `timeoutMs` bounds each
 * round trip (default UPSTASH_TIMEOUT_MS).
 */
export function upstashRedis(config: Config, opts: { timeoutMs?: number } = {}): Redis | null {
  if (!config.UPSTASH_REDIS_REST_URL || !config.UPSTASH_REDIS_REST_TOKEN) return null;
  const timeoutMs = opts.timeoutMs ?? config.UPSTASH_TIMEOUT_MS;
  return new Redis({
    url: config.UPSTASH_REDIS_REST_URL,
    token: config.UPSTASH_REDIS_REST_TOKEN,
    // One attempt, bounded; what a failure means (QUOTA_FAIL_MODE, …) is decided by the caller.
    retry: { retries: 0 },
    signal: () => AbortSignal.timeout(timeoutMs),
    enableTelemetry: false,
    enableAutoPipelining: true,
  });
}

/**
 * `work`, or `onTimeout()` thrown a little after the client's own abort signal should have fired:
 * the signal bounds the fetch, this bounds everything around it (a script that never answers).
 */
export async function withinUpstashTimeout<T>(
  timeoutMs: number,
  work: Promise<T>,
  onTimeout: () => Error = () => new Error(`Upstash did not answer within ${timeoutMs} ms`),
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), timeoutMs + 100);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
