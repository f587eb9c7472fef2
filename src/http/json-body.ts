// Guards every request body before any handler sees it: JSON only (415), bounded size (413, checked
// against Content-Length first and then while streaming, so a lying or absent header cannot make
// the Worker buffer more), UTF-8 (400). The text is cached for the route: its schema validator
// parses it once (malformed JSON → 400 there, after authentication), and webhook signatures are
// computed over the exact bytes received.
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { ApiError, invalidRequest } from "../lib/errors.js";
import type { AppEnv } from "./context.js";

const MiB = 1024 * 1024;
export const DEFAULT_BODY_LIMIT = 1 * MiB;

export interface BodyLimitRule {
  /** Path prefix the rule applies to. */
  prefix: string;
  maxBytes: number;
}

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function jsonBody(rules: BodyLimitRule[] = []): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const req = c.req.raw;
    if (!METHODS_WITH_BODY.has(req.method) || !hasBody(req)) return next();
    // No handler for this method and path: let it fall through to 404/405 untouched.
    if (!matchedRoutes(c).some((r) => r.method !== "ALL")) return next();

    const contentType = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (contentType !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(contentType)) {
      throw new ApiError("unsupported_media_type", "Request bodies must be JSON (Content-Type: application/json).");
    }

    const limit = rules.find((r) => c.req.path.startsWith(r.prefix))?.maxBytes ?? DEFAULT_BODY_LIMIT;
    const declared = Number(req.headers.get("content-length") ?? NaN);
    if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);

    const text = await readTextWithin(req, limit);
    // Hono's body cache holds promises (typed as the Body methods); the validators' c.req.json()
    // and signature checks' c.req.text() read from it, since the stream is consumed.
    (c.req.bodyCache as Record<string, Promise<unknown>>).text = Promise.resolve(text);
    return next();
  };
}

function hasBody(req: Request): boolean {
  const length = req.headers.get("content-length");
  if (length !== null) return length !== "0";
  return req.body !== null;
}

function tooLarge(limit: number): ApiError {
  return new ApiError("payload_too_large", `Request bodies are limited to ${limit} bytes.`);
}

async function readTextWithin(req: Request, limit: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  // fatal: a body that is not UTF-8 is malformed, not something to guess at.
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalidRequest("The request body is not valid UTF-8.");
  }
}
