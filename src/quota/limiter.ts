// The budget: one token bucket per ad account (@upstash/ratelimit 2.2), `apiCallsLimit` points
// refilled in full every META_API_RATE_WINDOW seconds, shared by every use case. A refused call
// consumes nothing (2.2's token bucket), so a later call that fits is granted.
//
// One Upstash request per acquire: the block read and the token bucket's EVALSHA are issued in the
// same tick and @upstash/redis auto-pipelines them into one /pipeline request. The limiter's own
// ephemeral cache is off: it would refuse an identifier after any refusal, even a call that fits.
// Blocks from Meta's signals are cached per isolate instead (blocks.ts).
import { Ratelimit } from "@upstash/ratelimit";
import type { Config } from "../env.js";
import { upstashRedis, withinUpstashTimeout } from "../lib/upstash.js";
import { parseState, READ_BLOCKS_SCRIPT, READ_STATE_SCRIPT, RECORD_SCRIPT, rememberBlocks, stateKey, type BlockState } from "./blocks.js";
import type { BlockScope, UseCase } from "./meta.js";

/** Upstash is not configured, unreachable, slow or answered an error. */
export class QuotaStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "QuotaStoreError";
  }
}

export interface Budget {
  adAccountId: string;
  limit: number;
  windowSeconds: number;
}

export type AcquireOutcome =
  | { granted: true; remaining: number; limit: number; resetAt: number }
  | { granted: false; reason: "budget"; remaining: number; limit: number; resetAt: number; retryAt: number }
  | { granted: false; reason: "blocked"; scope: BlockScope; remaining: number; limit: number; resetAt: number; retryAt: number };

export interface QuotaStore {
  acquire(budget: Budget, cost: number, useCase: UseCase): Promise<AcquireOutcome & { pending: Promise<unknown> }>;
  state(budget: Budget): Promise<{ remaining: number; resetAt: number } & BlockState>;
  record(
    budget: Budget,
    report: { utilization: number | null; ends: Partial<Record<BlockScope, number>> },
  ): Promise<{ remaining: number; resetAt: number } & BlockState>;
}

/** The quota store of one request (I/O objects are per request on Workers). */
export function quotaStore(config: Config): QuotaStore {
  const redis = upstashRedis(config);
  if (!redis) {
    const fail = async (): Promise<never> => {
      throw new QuotaStoreError("Upstash is not configured (UPSTASH_REDIS_REST_URL, UPSTASH_REDIS_REST_TOKEN).");
    };
    return { acquire: fail, state: fail, record: fail };
  }
  const timeoutMs = config.UPSTASH_TIMEOUT_MS;
  const prefix = config.QUOTA_KEY_PREFIX;
  const limiter = (b: Budget) =>
    new Ratelimit({
      redis,
      prefix: `${prefix}budget`,
      limiter: Ratelimit.tokenBucket(b.limit, `${b.windowSeconds} s`, b.limit),
      ephemeralCache: false,
      // No fail-open timeout inside the limiter: the client's signal bounds the round trip.
      timeout: 0,
      analytics: false,
    });
  const bounded = async <T>(what: string, work: Promise<T>): Promise<T> => {
    try {
      return await withinUpstashTimeout(
        timeoutMs,
        work,
        () => new QuotaStoreError(`Upstash did not answer ${what} within ${timeoutMs} ms.`),
      );
    } catch (err) {
      throw err instanceof QuotaStoreError ? err : new QuotaStoreError(`Upstash failed ${what}.`, { cause: err });
    }
  };
  const windowMs = (b: Budget) => b.windowSeconds * 1000;

  return {
    async acquire(b, cost, useCase) {
      const rl = limiter(b);
      // Same tick: both commands travel in one pipeline request.
      const blocksP = redis.eval<string[], unknown>(
        READ_BLOCKS_SCRIPT,
        [stateKey(prefix, b.adAccountId), `${prefix}budget:${b.adAccountId}`],
        [useCase],
      );
      const limitP = rl.limit(b.adAccountId, { rate: cost });
      const [blocks, res] = await bounded("the acquire", Promise.all([blocksP, limitP]));
      const now = Date.now();
      const [accountEnd, useCaseEnd, tokensBefore] = (Array.isArray(blocks) ? blocks : []).map((v) =>
        v === "" || v === null ? null : Number(v),
      );
      const ends: Partial<Record<BlockScope, number>> = {};
      if (accountEnd && accountEnd > now) ends.account = accountEnd;
      if (useCaseEnd && useCaseEnd > now) ends[useCase] = useCaseEnd;
      const blockedUntil = Math.max(ends.account ?? 0, ends[useCase] ?? 0);
      const limit = res.limit || b.limit;
      if (blockedUntil > now) {
        rememberBlocks(b.adAccountId, ends, now);
        // The bucket granted before the block was seen: give the points back, after the response.
        const pending = res.success ? Promise.all([res.pending, rl.limit(b.adAccountId, { rate: -cost })]).catch(() => {}) : res.pending;
        const scope: BlockScope = (ends.account ?? 0) >= (ends[useCase] ?? 0) ? "account" : useCase;
        return {
          granted: false,
          reason: "blocked",
          scope,
          remaining: res.success ? res.remaining + cost : res.remaining,
          limit,
          resetAt: res.reset,
          retryAt: blockedUntil,
          pending,
        };
      }
      if (!res.success) {
        const left =
          tokensBefore !== null && tokensBefore !== undefined && Number.isFinite(tokensBefore)
            ? Math.max(0, Math.min(tokensBefore, limit))
            : 0;
        return { granted: false, reason: "budget", remaining: left, limit, resetAt: res.reset, retryAt: res.reset, pending: res.pending };
      }
      return { granted: true, remaining: res.remaining, limit, resetAt: res.reset, pending: res.pending };
    },

    async state(b) {
      const stateP = redis.eval<string[], unknown>(READ_STATE_SCRIPT, [stateKey(prefix, b.adAccountId)], []);
      const remainingP = limiter(b).getRemaining(b.adAccountId);
      const [state, remaining] = await bounded("the state read", Promise.all([stateP, remainingP]));
      const parsed = parseState(state);
      rememberBlocks(b.adAccountId, parsed.ends);
      return { ...parsed, ...budgetLeft(b, remaining) };
    },

    async record(b, report) {
      const now = Date.now();
      const pairs = Object.entries(report.ends).flatMap(([scope, until]) => [scope, String(until)]);
      const longest = Math.max(windowMs(b), ...Object.values(report.ends).map((u) => u - now));
      // Same tick: the write and the budget read travel in one pipeline request.
      const recordP = redis.eval<string[], unknown>(
        RECORD_SCRIPT,
        [stateKey(prefix, b.adAccountId)],
        [String(now), String(Math.ceil(longest)), report.utilization === null ? "" : String(report.utilization), ...pairs],
      );
      const remainingP = limiter(b).getRemaining(b.adAccountId);
      const [reply, remaining] = await bounded("the usage report", Promise.all([recordP, remainingP]));
      const parsed = parseState(reply, now);
      rememberBlocks(b.adAccountId, parsed.ends, now);
      return { ...parsed, ...budgetLeft(b, remaining) };
    },
  };
}

/** Points left and next refill. The stored bucket does not count refills since its last use: past its reset it is full. */
function budgetLeft(b: Budget, r: { remaining: number; reset: number }, now = Date.now()): { remaining: number; resetAt: number } {
  const windowMs = b.windowSeconds * 1000;
  if (r.reset <= now) return { remaining: b.limit, resetAt: r.reset + Math.ceil((now - r.reset + 1) / windowMs) * windowMs };
  return { remaining: Math.min(r.remaining, b.limit), resetAt: r.reset };
}
