// Unknown routes answer 404 in the envelope; a known path asked with the wrong method answers 405
// with an Allow header. Hono only knows "no handler matched", so the registered route patterns are
// compiled once per app and matched against the path here, exactly as Hono's router matches them
// (strict: `/v1/me/` is not `/v1/me`, so it is a 404, never a 405 that claims the path exists).
import type { Hono, NotFoundHandler } from "hono";
import { ApiError, errorBody } from "../lib/errors.js";
import type { AppEnv } from "./context.js";

type RoutePattern = { method: string; regex: RegExp };

const patternsByApp = new WeakMap<object, RoutePattern[]>();

function compile(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) => {
      if (segment === "*") return ".*";
      if (segment.startsWith(":")) return "[^/]+";
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source}$`);
}

function patternsOf(app: Hono<AppEnv>): RoutePattern[] {
  let patterns = patternsByApp.get(app);
  if (!patterns) {
    patterns = app.routes.filter((r) => r.method !== "ALL").map((r) => ({ method: r.method, regex: compile(r.path) }));
    patternsByApp.set(app, patterns);
  }
  return patterns;
}

export function notFoundOrMethodNotAllowed(app: Hono<AppEnv>): NotFoundHandler<AppEnv> {
  return (c) => {
    const requestId = c.get("requestId") ?? "unknown";
    const allowed = [
      ...new Set(
        patternsOf(app)
          .filter((p) => p.regex.test(c.req.path))
          .map((p) => p.method),
      ),
    ];
    if (allowed.length > 0) {
      if (allowed.includes("GET")) allowed.push("HEAD");
      c.header("Allow", allowed.join(", "));
      const err = new ApiError("method_not_allowed", `${c.req.method} is not allowed on ${c.req.path}.`);
      return c.json(errorBody(err, requestId), err.status);
    }
    const err = new ApiError("not_found", `No route matches ${c.req.method} ${c.req.path}.`);
    return c.json(errorBody(err, requestId), err.status);
  };
}
