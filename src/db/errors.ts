// Postgres and driver failures, as HTTP answers. The neon driver reports a database error (HTTP 400
// from the proxy) as NeonDbError with the SQLSTATE in `code`; it reports a failed fetch, a timeout
// or a proxy failure as NeonDbError without `code`. Drizzle wraps single-query errors in
// DrizzleQueryError (original on `.cause`) but passes batch errors through unwrapped.
import { ApiError, invalidRequest, unavailable } from "../lib/errors.js";

interface PgErrorLike {
  name?: string;
  message: string;
  code?: string;
  constraint?: string;
  sourceError?: unknown;
}

const RETRY_AFTER_SECONDS = 2;

function findDriverError(err: unknown): PgErrorLike | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (current.name === "NeonDbError") return current as PgErrorLike;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when `err` is a foreign-key violation of the named constraint (e.g. a tenant that does not exist). */
export function violatesForeignKey(err: unknown, constraint: string): boolean {
  const driverError = findDriverError(err);
  return driverError?.code === "23503" && driverError.constraint === constraint;
}

/** True when `err` is a unique violation of the named index (e.g. a slug or an email already taken). */
export function violatesUnique(err: unknown, constraint: string): boolean {
  const driverError = findDriverError(err);
  return driverError?.code === "23505" && driverError.constraint === constraint;
}

/** Maps a database error to the envelope; returns undefined for anything that is not one. */
export function mapDatabaseError(err: unknown): ApiError | undefined {
  const driverError = findDriverError(err);
  if (!driverError) {
    if (err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError")) {
      return unavailable("The database did not answer in time.", RETRY_AFTER_SECONDS, err);
    }
    return undefined;
  }
  const code = driverError.code;
  if (!code) {
    // No SQLSTATE: the request never reached Postgres (network, timeout, proxy failure).
    return unavailable("The database is unreachable right now.", RETRY_AFTER_SECONDS, err);
  }
  if (code === "23505") {
    return new ApiError("conflict", "A record with the same unique value already exists.", { cause: err });
  }
  if (code === "23503") {
    return new ApiError("conflict", "The change refers to a record that does not exist, or one that is still referenced.", {
      cause: err,
    });
  }
  if (code.startsWith("22") || code === "23502" || code === "23514") {
    // Class 22 (data exception: invalid input syntax, out of range…) and NOT NULL / CHECK violations
    // are the caller's input; the schema validation should catch them first, this is the backstop.
    const e = invalidRequest("A value in the request is not valid for its field.");
    return new ApiError(e.code, e.message, { cause: err });
  }
  if (
    code.startsWith("08") || // connection exceptions
    code.startsWith("53") || // insufficient resources (too many connections…)
    code.startsWith("57P") || // admin shutdown, crash shutdown, cannot connect now
    code === "57014" || // statement timeout
    code === "40001" || // serialization failure: safe to retry
    code === "40P01" // deadlock detected: safe to retry
  ) {
    return unavailable("The database is busy or restarting; try again shortly.", RETRY_AFTER_SECONDS, err);
  }
  return undefined;
}
