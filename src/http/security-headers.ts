// Response headers every answer of the Worker carries (static assets, served before the Worker
// runs, are not answers of the Worker). Hono's secureHeaders sets nosniff, framing and referrer
// rules; the API's CSP allows nothing to load or frame a JSON response. A route with a page of its
// own (/docs) sets its own policy first, and `overwrite: false` keeps it.
//
// Caching: every answer is `Cache-Control: no-store` unless its handler chose otherwise. Authenticated
// answers carry tenant data and, once, an API key's secret (POST /v1/api-keys); error answers and
// public ones are cheap to recompute, so there is one rule and no list of exceptions to get wrong.
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./context.js";

export const securityHeaders: MiddlewareHandler<AppEnv> = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  xFrameOptions: "DENY",
  overwrite: false,
});

export const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
};
