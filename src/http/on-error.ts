// The one place errors become HTTP: ApiError → its status and envelope; database failures → mapped
// (db/errors.ts); configuration problems → 500 with the setting named in the log only; Hono's own
// HTTPExceptions (e.g. malformed JSON caught by a validator) → the matching envelope; anything
// else → 500 `internal` with no detail for the caller and the full story in the log line.
import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { mapDatabaseError } from "../db/errors.js";
import { ConfigError } from "../env.js";
import { ApiError, errorBody, internal, invalidRequest } from "../lib/errors.js";
import { describeError } from "../lib/log.js";
import type { AppEnv } from "./context.js";

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const apiError = toApiError(err);
  const log = c.get("log");
  const underlying = apiError.options.cause ?? (apiError === err ? undefined : err);
  log?.set({
    error: {
      code: apiError.code,
      message: apiError.message,
      ...(underlying !== undefined ? { cause: describeError(underlying) } : {}),
      ...(err instanceof ConfigError ? { settings: err.problems } : {}),
    },
  });
  const requestId = c.get("requestId") ?? "unknown";
  for (const [name, value] of Object.entries(apiError.options.headers ?? {})) c.header(name, value);
  if (apiError.status === 401 && !apiError.options.headers?.["WWW-Authenticate"]) {
    c.header("WWW-Authenticate", 'Bearer realm="automation-platform"');
  }
  return c.json(errorBody(apiError, requestId), apiError.status);
};

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const db = mapDatabaseError(err);
  if (db) return db;
  if (err instanceof ConfigError) return internal(err);
  if (err instanceof HTTPException) {
    // Hono's validators throw this for a body that is not JSON ("Malformed JSON in request body").
    if (err.status === 400) return invalidRequest(err.message || "The request is malformed.");
    if (err.status === 413) return new ApiError("payload_too_large", "The request body is too large.");
    if (err.status === 415) return new ApiError("unsupported_media_type", "Request bodies must be JSON.");
    if (err.status === 401) return new ApiError("unauthorized", "Authentication is required.");
  }
  return internal(err);
}
