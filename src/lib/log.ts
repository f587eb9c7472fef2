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

/** What of an unknown thrown value is safe and useful in a log line. */
export function describeError(err: unknown): LogFields {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return {
      name: err.name,
      message: err.message,
      ...(typeof (err as { code?: unknown }).code === "string" ? { code: (err as unknown as { code: string }).code } : {}),
      ...(err.stack ? { stack: err.stack.split("\n").slice(0, 6).join("\n") } : {}),
      ...(cause !== undefined && cause !== err ? { cause: describeError(cause) } : {}),
    };
  }
  return { message: String(err) };
}
