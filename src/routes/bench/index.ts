// Bench-only routes: the "raw" counterparts of the hot endpoints, for `npm run bench`'s overhead
// ratio (endpoint p50 / raw p50). Each one issues exactly the statements its endpoint issues — the
// same tenant batch through the same driver (drizzle neon-http over @neondatabase/serverless), or
// the same Upstash pipeline through the same quota store — and returns the driver's rows as JSON:
// no authentication, no validation, no mapping. They sit behind the middleware every response of
// the Worker passes (request id, the request's log line, security headers, body guard), so what is
// left between the two is what authentication, validation and mapping add on top of the round trip.
//
// They exist only when BENCH_ROUTES=1 AND NEON_HTTP_ENDPOINT is set: the bench sets both, a deployed
// Worker has neither (NEON_HTTP_ENDPOINT is the local SQL endpoint; on Neon it is never set), so
// even a stray BENCH_ROUTES var cannot open unauthenticated reads on production data. Otherwise
// the path falls through to the app's 404 (test/performance/bench-route.test.ts).
//
// me and stats use their handlers' own statement builders and ingest the endpoint's ingestExecution;
// the executions list (first page, no filter) is written out: keep it in step with executions/handlers.ts.
import { and, desc, eq, getTableColumns } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { executionLogs } from "../../../drizzle/schema.js";
import { createDatabase, type Database } from "../../db/client.js";
import { tenantBatch, type TenantScope } from "../../db/tenant.js";
import { loadConfig, type Bindings } from "../../env.js";
import { ingestExecution, type Ingestion } from "../../executions/ingest.js";
import type { AppEnv } from "../../http/context.js";
import { cachedBlock } from "../../quota/blocks.js";
import { quotaStore } from "../../quota/limiter.js";
import { clientWithUsage, selfRow } from "../me/handlers.js";
import { workflowStatsQuery } from "../workflows/handlers.js";
import type { UseCase } from "../../quota/meta.js";

export const BENCH_PATH = "/__bench";

/** Both settings, never one: see the header. */
export function benchRoutesEnabled(env: Bindings | undefined): boolean {
  return env?.BENCH_ROUTES === "1" && typeof env.NEON_HTTP_ENDPOINT === "string" && env.NEON_HTTP_ENDPOINT !== "";
}

const DAY_MS = 86_400_000;
const { input: _input, output: _output, error: _error, logs: _logs, ...summaryColumns } = getTableColumns(executionLogs);

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

type Raw = (req: {
  url: URL;
  body: () => Promise<unknown>;
  db: () => Database;
  env: Bindings;
  waitUntil: (p: Promise<unknown>) => void;
}) => Promise<Response>;

function scopeOf(url: URL): TenantScope & { clientId: string } {
  return { clientId: url.searchParams.get("clientId") ?? "", userId: url.searchParams.get("userId") };
}

const ROUTES: Record<string, Raw> = {
  // GET /v1/me: the caller's row, the client and its three usage counts, one batch.
  "GET /me": async ({ url, db: open }) => {
    const db = open();
    const scope = scopeOf(url);
    return json(await tenantBatch(db, scope, [selfRow(db, scope.userId ?? ""), clientWithUsage(db, scope.clientId)]));
  },

  // GET /v1/executions?limit=n (no filter, first page).
  "GET /executions": async ({ url, db: open }) => {
    const db = open();
    const scope = scopeOf(url);
    const limit = Number(url.searchParams.get("limit") ?? 25);
    const [rows] = await tenantBatch(db, scope, [
      db
        .select(summaryColumns)
        .from(executionLogs)
        .where(and(eq(executionLogs.clientId, scope.clientId)))
        .orderBy(desc(executionLogs.startedAt), desc(executionLogs.id))
        .limit(limit + 1),
    ]);
    return json(rows);
  },

  // GET /v1/workflows/{id}/stats?days=n.
  "GET /stats": async ({ url, db: open }) => {
    const db = open();
    const scope = scopeOf(url);
    const since = new Date(Date.now() - Number(url.searchParams.get("days") ?? 30) * DAY_MS);
    const [rows] = await tenantBatch(db, scope, [workflowStatsQuery(db, url.searchParams.get("workflowId") ?? "", scope.clientId, since)]);
    return json(rows);
  },

  // POST /v1/webhooks/n8n/executions: the body taken as it is (API statuses, no n8n mapping), the
  // endpoint's own ingestExecution (one batch: the upsert and the read-back).
  "POST /ingest": async ({ url, body, db: open }) => {
    // Taken on trust: the bench sends what the endpoint's schema accepts.
    const b = (await body()) as Omit<Ingestion, "n8nExecutionId" | "workflow" | "adAccount"> & {
      executionId: string | number;
      workflowId?: string;
      n8nWorkflowId?: string;
    };
    const ingestion: Ingestion = {
      n8nExecutionId: String(b.executionId),
      workflow: { id: b.workflowId, n8nId: b.n8nWorkflowId },
      status: b.status,
      startedAt: b.startedAt,
      stoppedAt: b.stoppedAt,
      input: b.input,
      output: b.output,
      error: b.error,
      logs: b.logs,
      apiCallsUsed: b.apiCallsUsed,
      dataProcessed: b.dataProcessed,
      report: b.report,
    };
    const result = await ingestExecution(open(), { clientId: scopeOf(url).clientId, userId: null }, ingestion);
    return json(result, result.created ? 201 : 200);
  },

  // POST /v1/ad-accounts/{id}/quota/acquire: the isolate's block cache, then the same single
  // Upstash pipeline (block read + token bucket) through the same store. The budget comes from the
  // query (the endpoint reads it from its per-isolate account cache: no SQL when warm).
  // The same JSON body as the endpoint's ({"cost":1}), parsed but not validated, so both requests
  // carry the same bytes.
  "POST /acquire": async ({ url, body, env, waitUntil }) => {
    const adAccountId = url.searchParams.get("adAccountId") ?? "";
    const b = (await body().catch(() => ({}))) as { cost?: number; useCase?: UseCase };
    const useCase = b.useCase ?? "ads_management";
    const cost = b.cost ?? 1;
    const cached = cachedBlock(adAccountId, useCase);
    if (cached) return json({ blockedUntil: cached }, 429);
    const cfg = loadConfig(env);
    const budget = { adAccountId, limit: Number(url.searchParams.get("limit") ?? 200), windowSeconds: cfg.META_API_RATE_WINDOW };
    const { pending, ...outcome } = await quotaStore(cfg).acquire(budget, cost, useCase);
    waitUntil(pending);
    return json(outcome, outcome.granted ? 200 : 429);
  },
};

/**
 * Registered after the per-request envelope (src/app.ts): when the bench routes are on it answers
 * /__bench/* itself (no route's authentication or validation runs); off, it passes the request on,
 * to the app's 404.
 */
export const benchRoutes: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!benchRoutesEnabled(c.env)) return next();
  const url = new URL(c.req.url);
  const route = ROUTES[`${c.req.method} ${url.pathname.slice(BENCH_PATH.length)}`];
  if (!route) return json({ error: "no such bench route" }, 404);
  const env = c.env;
  const requestId = c.get("requestId");
  let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined; // outside workerd
  }
  return route({
    url,
    body: () => c.req.json(),
    // The request id travels with the SQL request, so the bench counts this route's round trips too.
    db: () => createDatabase(loadConfig(env), { requestId }),
    env,
    waitUntil: (p) => ctx?.waitUntil(p.catch(() => {})),
  });
};
