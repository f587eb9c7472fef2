// One wide, structured event per request: middleware and handlers add fields to it, and it is
// written once when the response is ready. Workers Logs indexes JSON lines, so keep it flat-ish.

export type LogFields = Record<string, unknown>;

export interface RequestLog {
  set(fields: LogFields): void;
  fields(): LogFields;
}

export function createRequestLog(initial: LogFields): RequestLog {
  const data: LogFields = { ...initial };
  return {
    set(fields) {
      Object.assign(data, fields);
    },
    fields: () => data,
  };
}

export function writeLog(level: "info" | "warn" | "error", msg: string, fields: LogFields): void {
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** Fields of a Postgres error (as the neon driver copies them onto NeonDbError) that name things,
 * never values. `message`, `detail`, `hint`, `where` and `internalQuery` are left out: Postgres puts
 * values there (`Key (email)=(…)`, `invalid input syntax for type integer: "…"`). */
const SAFE_DATABASE_FIELDS = ["code", "severity", "constraint", "schema", "table", "column", "dataType", "routine"] as const;

/**
 * What of an unknown thrown value is safe and useful in a log line. Database errors are described by
 * SQLSTATE, constraint, table/column and the statement's SQL text with its placeholders, never by
 * their parameters (subjects, key hashes, soon Meta access tokens) or message text that can carry
 * values. Drizzle's DrizzleQueryError has the parameters in its message, and so in its stack's first
 * line: only stack frames are logged, never the line that repeats the message.
 */
export function describeError(err: unknown, depth = 0): LogFields {
  if (!(err instanceof Error)) return { message: typeof err === "string" ? err : `(${typeof err})` };
  const e = err as Error & Record<string, unknown>;
  const cause = e.cause ?? e.sourceError;
  const fields: LogFields = { name: err.name };
  if (isQueryError(e)) {
    fields.query = e.query; // the SQL text with $1, $2…; e.params is never logged
  } else if (isDatabaseError(e)) {
    for (const key of SAFE_DATABASE_FIELDS) if (typeof e[key] === "string" && e[key] !== "") fields[key] = e[key];
  } else {
    fields.message = err.message;
    if (typeof e.code === "string") fields.code = e.code;
  }
  const frames = err.stack
    ?.split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 5);
  if (frames?.length) fields.stack = frames.map((f) => f.trim()).join("\n");
  if (cause !== undefined && cause !== err && depth < 3) fields.cause = describeError(cause, depth + 1);
  return fields;
}

/** Drizzle's DrizzleQueryError (its name is plain "Error"): the SQL text and its parameters. */
function isQueryError(e: Record<string, unknown>): e is Record<string, unknown> & { query: string } {
  return typeof e.query === "string" && Array.isArray(e.params);
}

/** The neon driver's NeonDbError, or any error carrying a SQLSTATE: its message may quote values. */
function isDatabaseError(e: Error & Record<string, unknown>): boolean {
  return e.name === "NeonDbError" || e.name === "DatabaseError" || (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code));
}
