import { sql } from "drizzle-orm";
import type { RouteHandler } from "@hono/zod-openapi";
import { upstashRedis } from "../../lib/upstash.js";
import { createDatabase } from "../../db/client.js";
import { mapDatabaseError } from "../../db/errors.js";
import { ConfigError, loadConfig, type Config } from "../../env.js";
import type { AppEnv } from "../../http/context.js";
import type { liveness, readiness } from "./routes.js";
import type { z } from "@hono/zod-openapi";
import type { Readiness } from "./schema.js";

/** A readiness probe must answer quickly even when the database hangs. */
const CHECK_TIMEOUT_MS = 2000;

type Check = z.infer<typeof Readiness>["checks"]["database"];

export const live: RouteHandler<typeof liveness, AppEnv> = (c) => c.json({ status: "ok" as const }, 200);

export const ready: RouteHandler<typeof readiness, AppEnv> = async (c) => {
  let config: Config | undefined;
  let configCheck: Check = { status: "ok" };
  try {
    config = loadConfig(c.env ?? {});
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    configCheck = { status: "error", error: err.problems.map((p) => `${p.setting} ${p.message}`).join("; ") };
  }

  // Side by side: each check is bounded by CHECK_TIMEOUT_MS, and one after the other two hanging
  // dependencies would take twice that, past the 3 s readiness bound (issue 12).
  const skipped: Check = { status: "skipped" };
  const [database, redis] = config ? await Promise.all([checkDatabase(config), checkRedis(config)]) : [skipped, skipped];

  const down = configCheck.status === "error" || database.status !== "ok";
  const degraded = redis.status === "error";
  const status = down ? "down" : degraded ? "degraded" : "ok";
  c.get("log").set({ readiness: status });
  return c.json({ status, checks: { config: configCheck, database, redis } }, down ? 503 : 200);
};

/** Upstash through its REST API (one PING), bounded like the database check. */
async function checkRedis(config: Config): Promise<Check> {
  const redis = upstashRedis(config, { timeoutMs: CHECK_TIMEOUT_MS });
  if (!redis) return { status: "not_configured" };
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    await redis.ping();
    return { status: "ok", latencyMs: latency() };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return { status: "error", latencyMs: latency(), error: timedOut ? "Redis did not answer in time." : "The Redis check failed." };
  }
}

async function checkDatabase(config: Config): Promise<Check> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    await createDatabase(config, { timeoutMs: CHECK_TIMEOUT_MS }).execute(sql`select 1`);
    return { status: "ok", latencyMs: latency() };
  } catch (err) {
    const mapped = mapDatabaseError(err);
    return { status: "error", latencyMs: latency(), error: mapped?.message ?? "The database check failed." };
  }
}
