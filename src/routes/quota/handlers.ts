import { config, database, type AppContext } from "../../http/context.js";
import { handle } from "../../http/route.js";
import { ApiError, invalidRequest, unavailable } from "../../lib/errors.js";
import { describeError, writeLog } from "../../lib/log.js";
import { quotaAccount, type QuotaAccount } from "../../quota/accounts.js";
import { cachedBlock, latestEnd } from "../../quota/blocks.js";
import { quotaStore, QuotaStoreError, type Budget, type QuotaStore } from "../../quota/limiter.js";
import { MalformedHeaderError, metaSignals, type BlockScope, type UseCase } from "../../quota/meta.js";
import { acquireQuota, getQuota, reportUsage } from "./routes.js";

/** Retry-After when Upstash is unreachable (closed mode). */
const UNAVAILABLE_RETRY_SECONDS = 5;

const iso = (ms: number) => new Date(ms).toISOString();
const secondsUntil = (ms: number, now = Date.now()) => Math.max(1, Math.ceil((ms - now) / 1000));

function accountOf(c: AppContext, tenantId: string, id: string): Promise<QuotaAccount> {
  return quotaAccount(() => database(c), tenantId, id);
}

function budgetOf(c: AppContext, account: QuotaAccount): Budget {
  return { adAccountId: account.id, limit: account.apiCallsLimit, windowSeconds: config(c).META_API_RATE_WINDOW };
}

/** GET …/quota's fields: the budget left, the next refill, the latest block, Meta's utilization. */
function quotaView(budget: Budget, state: Awaited<ReturnType<QuotaStore["state"]>>) {
  const until = latestEnd(state.ends);
  return {
    limit: budget.limit,
    remaining: state.remaining,
    resetAt: iso(state.resetAt),
    blockedUntil: until ? iso(until) : null,
    utilization: state.utilization,
  };
}

function rateLimitHeaders(limit: number, remaining: number, resetAt: number): Record<string, string> {
  return {
    "RateLimit-Limit": String(limit),
    "RateLimit-Remaining": String(Math.max(0, remaining)),
    "RateLimit-Reset": String(Math.max(0, Math.ceil((resetAt - Date.now()) / 1000))),
  };
}

function waitUntil(c: AppContext, promise: Promise<unknown>): void {
  const safe = promise.catch((err: unknown) => writeLog("warn", "quota_pending_failed", { error: describeError(err) }));
  try {
    c.executionCtx.waitUntil(safe);
  } catch {
    // No execution context (the app run outside workerd): the promise still runs.
  }
}

function storeUnavailable(c: AppContext, err: unknown): ApiError {
  c.get("log").set({ quota: { store: "unavailable" } });
  writeLog("error", "quota_store_unavailable", { error: describeError(err), cause: describeError((err as Error).cause) });
  return unavailable("The quota service is unavailable; try again shortly.", UNAVAILABLE_RETRY_SECONDS, err);
}

function blocked(limit: number, remaining: number, resetAt: number, until: number, scope: BlockScope | UseCase): ApiError {
  const wait = secondsUntil(until);
  return new ApiError(
    "quota_exceeded",
    `Meta has throttled this ad account${scope === "account" ? "" : ` for ${scope}`}: no calls until ${iso(until)} (in ${wait} s).`,
    {
      headers: { "Retry-After": String(wait), ...rateLimitHeaders(limit, remaining, resetAt) },
      details: [
        { path: "reason", message: "blocked" },
        { path: "scope", message: scope },
        { path: "blockedUntil", message: iso(until) },
        { path: "retryAfter", message: String(wait) },
      ],
    },
  );
}

export const acquire = handle(acquireQuota, async (c, { tenantId }) => {
  const body: { cost?: number; useCase?: UseCase } = c.req.valid("json") ?? {};
  const cost = body.cost ?? 1;
  const useCase = body.useCase ?? "ads_management";
  const cfg = config(c);
  const account = await accountOf(c, tenantId, c.req.valid("param").id);
  const budget = budgetOf(c, account);
  const log = c.get("log");

  // Known blocked on this isolate: refused without any Redis request.
  const cached = cachedBlock(account.id, useCase);
  if (cached) {
    log.set({ quota: { adAccountId: account.id, cost, useCase, outcome: "blocked", cache: true } });
    throw blocked(budget.limit, 0, cached, cached, useCase);
  }

  let outcome: Awaited<ReturnType<QuotaStore["acquire"]>>;
  try {
    outcome = await quotaStore(cfg).acquire(budget, cost, useCase);
  } catch (err) {
    if (!(err instanceof QuotaStoreError)) throw err;
    if (cfg.QUOTA_FAIL_MODE === "open") {
      writeLog("error", "quota_fail_open", {
        adAccountId: account.id,
        cost,
        useCase,
        message: "Upstash is unavailable and QUOTA_FAIL_MODE=open: the call is granted WITHOUT a quota check",
        error: describeError(err),
      });
      log.set({ quota: { adAccountId: account.id, cost, useCase, outcome: "granted_fail_open" } });
      const resetAt = Date.now() + budget.windowSeconds * 1000;
      c.header("X-Quota-Degraded", "fail-open");
      for (const [k, v] of Object.entries(rateLimitHeaders(budget.limit, budget.limit - cost, resetAt))) c.header(k, v);
      return c.json(
        { data: { granted: true as const, remaining: Math.max(0, budget.limit - cost), limit: budget.limit, resetAt: iso(resetAt) } },
        200,
      );
    }
    throw storeUnavailable(c, err);
  }
  waitUntil(c, outcome.pending);
  log.set({
    quota: { adAccountId: account.id, cost, useCase, outcome: outcome.granted ? "granted" : outcome.reason, remaining: outcome.remaining },
  });

  if (!outcome.granted && outcome.reason === "blocked") {
    throw blocked(outcome.limit, outcome.remaining, outcome.resetAt, outcome.retryAt, outcome.scope);
  }
  if (!outcome.granted) {
    const wait = secondsUntil(outcome.retryAt);
    throw new ApiError(
      "quota_exceeded",
      `This ad account's Meta API budget has ${outcome.remaining} of ${outcome.limit} points left, fewer than the ${cost} asked; it is refilled at ${iso(outcome.resetAt)} (in ${wait} s).`,
      {
        headers: { "Retry-After": String(wait), ...rateLimitHeaders(outcome.limit, outcome.remaining, outcome.resetAt) },
        details: [
          { path: "reason", message: "budget" },
          { path: "remaining", message: String(outcome.remaining) },
          { path: "resetAt", message: iso(outcome.resetAt) },
          { path: "retryAfter", message: String(wait) },
        ],
      },
    );
  }
  for (const [k, v] of Object.entries(rateLimitHeaders(outcome.limit, outcome.remaining, outcome.resetAt))) c.header(k, v);
  return c.json(
    { data: { granted: true as const, remaining: outcome.remaining, limit: outcome.limit, resetAt: iso(outcome.resetAt) } },
    200,
  );
});

export const usage = handle(reportUsage, async (c, { tenantId }) => {
  const body = c.req.valid("json");
  const cfg = config(c);
  const account = await accountOf(c, tenantId, c.req.valid("param").id);
  const budget = budgetOf(c, account);
  let signals: ReturnType<typeof metaSignals>;
  try {
    signals = metaSignals(
      { ...(body.headers ? { headers: body.headers } : {}), ...(body.error ? { error: body.error } : {}) },
      {
        metaAdAccountId: account.metaAdAccountId,
        threshold: cfg.QUOTA_BLOCK_THRESHOLD,
        defaultBlockSeconds: cfg.QUOTA_DEFAULT_BLOCK_SECONDS,
      },
    );
  } catch (err) {
    if (err instanceof MalformedHeaderError) throw invalidRequest(err.message, [{ path: `headers.${err.header}`, message: err.message }]);
    throw err;
  }
  const now = Date.now();
  const ends: Partial<Record<BlockScope, number>> = {};
  for (const b of signals.blocks) ends[b.scope] = Math.max(ends[b.scope] ?? 0, now + b.seconds * 1000);
  const store = quotaStore(cfg);
  let state: Awaited<ReturnType<QuotaStore["state"]>>;
  try {
    state = await store.record(budget, { utilization: signals.utilization, ends });
  } catch (err) {
    if (err instanceof QuotaStoreError) throw storeUnavailable(c, err);
    throw err;
  }
  if (signals.blocks.length) {
    writeLog("warn", "quota_blocked", { adAccountId: account.id, blocks: signals.blocks, utilization: signals.utilization });
  }
  c.get("log").set({ quota: { adAccountId: account.id, utilization: signals.utilization, blocks: signals.blocks.length } });
  return c.json(
    {
      data: {
        ...quotaView(budget, state),
        blocks: signals.blocks.map((b) => ({ scope: b.scope, until: iso(ends[b.scope] ?? now), reason: b.reason })),
      },
    },
    200,
  );
});

export const read = handle(getQuota, async (c, { tenantId }) => {
  const account = await accountOf(c, tenantId, c.req.valid("param").id);
  const budget = budgetOf(c, account);
  let state: Awaited<ReturnType<QuotaStore["state"]>>;
  try {
    state = await quotaStore(config(c)).state(budget);
  } catch (err) {
    if (err instanceof QuotaStoreError) throw storeUnavailable(c, err);
    throw err;
  }
  return c.json({ data: quotaView(budget, state) }, 200);
});
