// Block state of ad accounts. In Redis (every isolate sees it): one hash per account,
// `<prefix>state:<adAccountId>`, a field per blocked scope holding the end of its block (unix ms),
// plus the last reported utilization. In this isolate: a module-scope cache of the blocks it has
// seen, so a blocked account is refused without any Redis request.
import { BLOCK_SCOPES, type BlockScope, type UseCase } from "./meta.js";

const blockCache = new Map<string, Partial<Record<BlockScope, number>>>();
const MAX_CACHED_ACCOUNTS = 10_000;

export function stateKey(prefix: string, adAccountId: string): string {
  return `${prefix}state:${adAccountId}`;
}

/** Remembers blocks (keeps the later end of each scope). */
export function rememberBlocks(adAccountId: string, ends: Partial<Record<BlockScope, number | null>>, now = Date.now()): void {
  const known = blockCache.get(adAccountId) ?? {};
  for (const scope of BLOCK_SCOPES) {
    const until = ends[scope];
    if (until && until > now && until > (known[scope] ?? 0)) known[scope] = until;
  }
  if (Object.values(known).some((u) => u > now)) {
    if (!blockCache.has(adAccountId) && blockCache.size >= MAX_CACHED_ACCOUNTS) blockCache.clear();
    blockCache.set(adAccountId, known);
  }
}

/** The end of the block that refuses `useCase` on this account, as far as this isolate knows. */
export function cachedBlock(adAccountId: string, useCase: UseCase, now = Date.now()): number | null {
  const known = blockCache.get(adAccountId);
  if (!known) return null;
  const until = Math.max(known.account ?? 0, known[useCase] ?? 0);
  if (until > now) return until;
  if (!Object.values(known).some((u) => u > now)) blockCache.delete(adAccountId);
  return null;
}

/**
 * Reads the account-wide block, one use case's (ends in ms, or '') and the points in the account's
 * bucket before this call (KEYS: state, bucket). A refused call writes nothing, so after a refusal
 * these are the points left, which the limiter itself does not report.
 */
export const READ_BLOCKS_SCRIPT = `return {redis.call('HGET', KEYS[1], 'account') or '', redis.call('HGET', KEYS[1], ARGV[1]) or '', redis.call('HGET', KEYS[2], 'tokens') or ''}`;

/** Reads every block and the utilization: [account, ads_management, …, other, utilization]. */
export const READ_STATE_SCRIPT = `return redis.call('HMGET', KEYS[1], ${BLOCK_SCOPES.map((s) => `'${s}'`).join(", ")}, 'utilization')`;

/**
 * Records a report: ARGV = now, ttl ms, utilization ('' = none), then scope/end pairs. Each scope
 * keeps the later of its current and new end; the key lives at least `ttl`. Answers like
 * READ_STATE_SCRIPT, after the change.
 */
export const RECORD_SCRIPT = `local key = KEYS[1]
if ARGV[3] ~= '' then redis.call('HSET', key, 'utilization', ARGV[3]) end
for i = 4, #ARGV, 2 do
  local current = tonumber(redis.call('HGET', key, ARGV[i]) or '0') or 0
  if tonumber(ARGV[i + 1]) > current then redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
end
local ttl = tonumber(ARGV[2])
if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
return redis.call('HMGET', key, ${BLOCK_SCOPES.map((s) => `'${s}'`).join(", ")}, 'utilization')`;

export interface BlockState {
  /** End of each scope's block still running (ms). */
  ends: Partial<Record<BlockScope, number>>;
  utilization: number | null;
}

export function parseState(reply: unknown, now = Date.now()): BlockState {
  const values = Array.isArray(reply) ? reply : [];
  const ends: Partial<Record<BlockScope, number>> = {};
  BLOCK_SCOPES.forEach((scope, i) => {
    const until = Number(values[i] ?? 0);
    if (Number.isFinite(until) && until > now) ends[scope] = until;
  });
  const u = values[BLOCK_SCOPES.length];
  const utilization = u === null || u === undefined || u === "" ? null : Number(u);
  return { ends, utilization: utilization !== null && Number.isFinite(utilization) ? utilization : null };
}

export function latestEnd(ends: Partial<Record<BlockScope, number>>): number | null {
  const all = Object.values(ends);
  return all.length ? Math.max(...all) : null;
}
