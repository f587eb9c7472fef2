// CORS for the platform's browser front end, off unless CORS_ORIGINS is set (server-to-server callers
// such as n8n need none). Preflights are answered here, before authentication (a browser sends them
// without credentials). An explicit origin list may use credentials; `*` never does, as browsers
// require. X-Request-Id and the rate-limit headers are exposed so the front end can read them.
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { loadConfig } from "../env.js";
import type { AppEnv } from "./context.js";

const EXPOSED = ["X-Request-Id", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"];
const ALLOWED_HEADERS = ["Authorization", "Content-Type", "X-Request-Id"];

// One middleware per distinct origin list, for the isolate's lifetime.
const byOrigins = new Map<string, MiddlewareHandler>();

function corsFor(origins: string[]): MiddlewareHandler {
  const key = origins.join(",");
  let handler = byOrigins.get(key);
  if (!handler) {
    const any = origins.includes("*");
    handler = cors({
      origin: any ? "*" : origins,
      allowMethods: ["GET", "HEAD", "POST", "PATCH", "DELETE"],
      allowHeaders: ALLOWED_HEADERS,
      exposeHeaders: EXPOSED,
      credentials: !any,
      maxAge: 600,
    });
    byOrigins.set(key, handler);
  }
  return handler;
}

export const corsPolicy: MiddlewareHandler<AppEnv> = async (c, next) => {
  let origins: string[] | undefined;
  try {
    origins = loadConfig(c.env ?? {}).CORS_ORIGINS;
  } catch {
    origins = undefined; // a bad configuration is reported by the routes that need it and by /health/ready
  }
  if (!origins?.length) return next();
  return corsFor(origins)(c, next);
};
