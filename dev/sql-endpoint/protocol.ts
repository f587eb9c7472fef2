// Neon's SQL-over-HTTP wire format: what a request carries, and how results and errors are
// written back (as @neondatabase/serverless 1.2 sends and reads them, and Neon's proxy answers).
import type { IncomingHttpHeaders } from "node:http";
import type { BatchOptions, IsolationLevel, QueryData, RawResult } from "./executor.js";
import { textToJson } from "./text-to-json.js";

/** A failure answered with a fixed status and `{"message": ...}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export interface RequestOptions {
  connectionString: string;
  /** The connection string's user: the role the statements run as. */
  user: string;
  /** Neon-Array-Mode: rows as arrays (true) or as objects keyed by field name. */
  arrayMode: boolean;
  /** Neon-Raw-Text-Output: values as Postgres text (true) or converted to JSON types. */
  rawTextOutput: boolean;
  batch: BatchOptions;
}

const ISOLATION_LEVELS: IsolationLevel[] = ["ReadUncommitted", "ReadCommitted", "RepeatableRead", "Serializable"];

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function parseHeaders(headers: IncomingHttpHeaders): RequestOptions {
  const connectionString = header(headers, "Neon-Connection-String");
  if (!connectionString) throw new HttpError(400, "missing header: Neon-Connection-String");
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw new HttpError(400, "invalid connection string: not a URL");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new HttpError(400, "invalid connection string: incorrect scheme");
  }
  if (!url.username) throw new HttpError(400, "invalid connection string: missing username");

  const isolation = header(headers, "Neon-Batch-Isolation-Level");
  if (isolation !== undefined && !ISOLATION_LEVELS.includes(isolation as IsolationLevel)) {
    throw new HttpError(400, "invalid isolation level");
  }
  // Like Neon: a flag is on only when its header is exactly "true".
  const flag = (name: string) => header(headers, name) === "true";
  return {
    connectionString,
    user: decodeURIComponent(url.username),
    arrayMode: flag("Neon-Array-Mode"),
    rawTextOutput: flag("Neon-Raw-Text-Output"),
    batch: {
      isolationLevel: isolation as IsolationLevel | undefined,
      readOnly: flag("Neon-Batch-Read-Only"),
      deferrable: flag("Neon-Batch-Deferrable"),
    },
  };
}

export interface Payload {
  batch: boolean;
  queries: QueryData[];
}

/** `{"query","params"}` or `{"queries":[{"query","params"}, ...]}`. */
export function parsePayload(body: string): Payload {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new HttpError(400, `could not parse the HTTP request body: ${(err as Error).message}`);
  }
  if (isObject(json) && "query" in json) return { batch: false, queries: [parseQuery(json, "")] };
  if (isObject(json) && Array.isArray(json.queries)) {
    return { batch: true, queries: json.queries.map((q, i) => parseQuery(q, `queries[${i}].`)) };
  }
  throw new HttpError(400, 'could not parse the HTTP request body: expected {"query"} or {"queries": [...]}');
}

function parseQuery(value: unknown, where: string): QueryData {
  if (!isObject(value) || typeof value.query !== "string") {
    throw new HttpError(400, `could not parse the HTTP request body: ${where}query must be a string`);
  }
  const params = value.params ?? [];
  if (!Array.isArray(params)) {
    throw new HttpError(400, `could not parse the HTTP request body: ${where}params must be an array`);
  }
  const arrayMode = typeof value.arrayMode === "boolean" ? value.arrayMode : undefined;
  return { query: value.query, params: params.map(paramToText), arrayMode };
}

/**
 * Neon's proxy takes JSON parameters of any kind: strings are passed as they are, null stays
 * NULL, numbers/booleans/objects become their JSON text, arrays become Postgres array literals.
 * (The official client only ever sends strings and nulls.)
 */
function paramToText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `{${value.map(arrayElementToText).join(",")}}`;
  return JSON.stringify(value);
}

function arrayElementToText(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (Array.isArray(value)) return `{${value.map(arrayElementToText).join(",")}}`;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One statement's response object, exactly as the client expects it. */
export function formatResult(result: RawResult, opts: { arrayMode: boolean; rawTextOutput: boolean }) {
  const convert = (value: string | null, i: number) =>
    value === null || opts.rawTextOutput ? value : textToJson(value, result.fields[i]!.dataTypeID);
  const rows = result.rows.map((row) =>
    opts.arrayMode ? row.map(convert) : Object.fromEntries(row.map((value, i) => [result.fields[i]!.name, convert(value, i)])),
  );
  return {
    command: result.command,
    rowCount: result.rowCount,
    rows,
    fields: result.fields.map((f) => ({ ...f, format: "text" })),
    rowAsArray: opts.arrayMode,
  };
}

const DB_ERROR_FIELDS = [
  "message",
  "code",
  "severity",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;

/**
 * An error reported by Postgres (pg's and PGlite's DatabaseError alike): it has a SQLSTATE and a
 * severity. Node's own errors also have a `code` (ECONNREFUSED, EPIPE), but no severity.
 */
export function isDatabaseError(err: unknown): err is Record<string, unknown> {
  const e = err as { code?: unknown; severity?: unknown } | null;
  return typeof e?.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === "string";
}

/** The HTTP 400 body for a database error: node-postgres' field names, undefined ones left out. */
export function databaseErrorBody(err: Record<string, unknown>): Record<string, string> {
  const body: Record<string, string> = {};
  for (const key of DB_ERROR_FIELDS) {
    const value = err[key];
    if (value !== undefined && value !== null) body[key] = String(value);
  }
  return body;
}
