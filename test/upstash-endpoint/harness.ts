// Shared set-up for the Upstash endpoint tests: the endpoint in front of the in-memory store, and
// in front of the real Redis named by TEST_REDIS_URL when set. Every test file uses keys under its
// own prefix and deletes them afterwards, so it can share a real Redis with other runs.
import { startUpstashEndpoint, type UpstashEndpoint } from "../../dev/upstash-endpoint/index.js";

export interface StoreCase {
  name: "memory" | "redis";
  start(): Promise<UpstashEndpoint>;
}

export const STORES: StoreCase[] = [
  { name: "memory", start: () => startUpstashEndpoint() },
  ...(process.env.TEST_REDIS_URL
    ? [{ name: "redis" as const, start: () => startUpstashEndpoint({ redisUrl: process.env.TEST_REDIS_URL! }) }]
    : []),
];

export const usingRealRedis = Boolean(process.env.TEST_REDIS_URL);

export { deleteKeys } from "../../dev/redis-keys.js";

export function uniquePrefix(name: string): string {
  return `apitest:${name}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}:`;
}

/** A hand-made request, for what the official client never sends. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}
