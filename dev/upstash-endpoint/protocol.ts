// The Upstash REST protocol as @upstash/redis 1.39 speaks it: JSON command arrays in, `{result}` /
// `{error}` out, strings base64-encoded when the client sends `Upstash-Encoding: base64`.

/** What a store answers: Redis replies, with bulk strings as bytes (Buffer) or text. */
export type Reply = null | number | string | Buffer | Reply[];

export type Outcome = { result: unknown } | { error: string };

/** An error Redis itself would answer (WRONGTYPE, NOSCRIPT, ERR …): passed to the client verbatim. */
export class RedisReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RedisReplyError";
  }
}

/** A request the endpoint refuses before any command runs (bad JSON, bad token…). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/**
 * One command from JSON: a non-empty array whose first element is the command name. Arguments are
 * coerced to Redis bulk strings the way Upstash does: strings as they are, numbers as their JSON
 * text, booleans as `true`/`false`, null as an empty string, objects and arrays as their JSON text.
 */
export function parseCommand(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new HttpError(400, "ERR failed to parse command");
  if (typeof value[0] !== "string" || value[0] === "") throw new HttpError(400, "ERR failed to parse command");
  return value.map(coerce);
}

export function parseCommands(value: unknown): string[][] {
  if (!Array.isArray(value) || value.length === 0) throw new HttpError(400, "ERR failed to parse pipeline request");
  return value.map(parseCommand);
}

function coerce(arg: unknown): string {
  if (typeof arg === "string") return arg;
  if (typeof arg === "number" || typeof arg === "boolean") return String(arg);
  if (arg === null || arg === undefined) return "";
  return JSON.stringify(arg);
}

/**
 * A reply as JSON. With base64 on, every string (recursively) is the base64 of its bytes, except
 * the literal "OK" status; integers and null stay as they are.
 */
export function encodeReply(reply: Reply, base64: boolean): unknown {
  if (reply === null || typeof reply === "number") return reply;
  if (Array.isArray(reply)) return reply.map((r) => encodeReply(r, base64));
  const bytes = typeof reply === "string" ? Buffer.from(reply, "utf8") : reply;
  const text = typeof reply === "string" ? reply : null;
  if (text === "OK" || (text === null && bytes.length === 2 && bytes.toString("latin1") === "OK")) return "OK";
  return base64 ? bytes.toString("base64") : (text ?? bytes.toString("utf8"));
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
