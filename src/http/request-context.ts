// First middleware: request id, the per-request log event, and the single log line at the end.
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { requestIdFrom } from "../lib/ids.js";
import { createRequestLog, writeLog } from "../lib/log.js";
import type { AppEnv } from "./context.js";

export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  const requestId = requestIdFrom(c.req.header("x-request-id"));
  const log = createRequestLog({ requestId, method: c.req.method, path: c.req.path });
  c.set("requestId", requestId);
  c.set("log", log);
  try {
    await next();
  } finally {
    c.header("X-Request-Id", requestId);
    const status = c.res.status;
    log.set({ status, durationMs: Math.round((performance.now() - started) * 10) / 10, route: routePath(c) });
    writeLog(status >= 500 ? "error" : status >= 400 ? "warn" : "info", "request", log.fields());
  }
};
