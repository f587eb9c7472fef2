// Sending a request to the API and reading its answer: the `{data}` envelope on success, the
// `{error: {code, message, requestId, details}}` envelope otherwise, turned into a readable failure.
import type { IDataObject } from "n8n-workflow";
import type { ApiRequest } from "./requests";

export const CREDENTIAL_TYPE = "automationPlatformApi";

/** What httpRequest answers with `returnFullResponse: true`. */
export interface FullResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  body: unknown;
}

/** Sends one request (already authenticated by n8n) and answers with the full response, whatever its status. */
export type Send = (request: ApiRequest) => Promise<FullResponse>;

/** An answer other than 2xx, as read from the API's error envelope (or from what came instead). */
export interface ApiFailure {
  httpCode: number;
  code: string;
  message: string;
  requestId?: string;
  details?: Array<{ path: string; message: string }>;
  /** Retry-After, in seconds, when the API sent one (429, 503). */
  retryAfter?: number;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : String(value);
  }
  return undefined;
}

function parsedBody(body: unknown): unknown {
  if (typeof body !== "string") return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** The base URL of the credential, as the API's root: no trailing slash, no /v1. */
export function apiRoot(baseUrl: unknown): string {
  const root = String(baseUrl ?? "")
    .trim()
    .replace(/\/+$/, "")
    .replace(/\/v1$/, "");
  if (!/^https?:\/\/[^/]/i.test(root)) {
    throw new Error(`The credential's Base URL "${String(baseUrl ?? "")}" is not an http(s) URL (e.g. https://api.example.com)`);
  }
  return root;
}

/** The answer's `data`, or the failure it carries. */
export function readAnswer(response: FullResponse): { ok: true; data: unknown } | { ok: false; failure: ApiFailure } {
  const body = parsedBody(response.body);
  const status = response.statusCode;
  if (status >= 200 && status < 300) {
    if (body && typeof body === "object" && "data" in (body as IDataObject)) return { ok: true, data: (body as IDataObject).data };
    return {
      ok: false,
      failure: {
        httpCode: status,
        code: "unexpected_response",
        message: `The API answered HTTP ${status} without its {"data": …} envelope: is the Base URL the Automation Platform API?`,
        requestId: header(response.headers, "x-request-id"),
      },
    };
  }
  const retryHeader = header(response.headers, "retry-after");
  const retryAfter = retryHeader !== undefined && /^\d+$/.test(retryHeader.trim()) ? Number(retryHeader) : undefined;
  const envelope = body && typeof body === "object" ? (body as { error?: unknown }).error : undefined;
  if (envelope && typeof envelope === "object" && typeof (envelope as IDataObject).message === "string") {
    const e = envelope as IDataObject;
    const details = Array.isArray(e.details)
      ? (e.details as IDataObject[]).map((d) => ({ path: String(d.path ?? ""), message: String(d.message ?? "") }))
      : undefined;
    return {
      ok: false,
      failure: {
        httpCode: status,
        code: typeof e.code === "string" ? e.code : `http_${status}`,
        message: String(e.message),
        requestId: typeof e.requestId === "string" ? e.requestId : header(response.headers, "x-request-id"),
        ...(details?.length ? { details } : {}),
        ...(retryAfter !== undefined ? { retryAfter } : {}),
      },
    };
  }
  const text = typeof body === "string" ? body : JSON.stringify(body ?? "");
  return {
    ok: false,
    failure: {
      httpCode: status,
      code: `http_${status}`,
      message: `HTTP ${status} without the API's error envelope${text ? `: ${text.slice(0, 200)}` : ""}`,
      requestId: header(response.headers, "x-request-id"),
      ...(retryAfter !== undefined ? { retryAfter } : {}),
    },
  };
}

/** One line for n8n's error banner: the API's message, its code, the HTTP status and the request id. */
export function failureMessage(f: ApiFailure): string {
  const where = `${f.code}, HTTP ${f.httpCode}${f.requestId ? `, request ${f.requestId}` : ""}`;
  if (f.httpCode === 429) return `Quota exceeded (429 ${f.code}): ${f.message} [${where}]`;
  return `${f.message} [${where}]`;
}

/** The longer text under the banner: field errors, when to retry, what to check. */
export function failureDescription(f: ApiFailure, extra?: string): string {
  const lines: string[] = [];
  if (extra) lines.push(extra);
  for (const d of f.details ?? []) lines.push(d.path ? `${d.path}: ${d.message}` : d.message);
  if (f.retryAfter !== undefined) lines.push(`Retry-After: ${f.retryAfter} s`);
  if (f.httpCode === 401) lines.push("Check the credential's API key: it may be wrong, expired or revoked.");
  if (f.httpCode === 403) lines.push("The API key lacks the scope this operation needs, or the client can only read.");
  if (f.requestId) lines.push(`Request id: ${f.requestId} (quote it when asking the API's operators)`);
  return lines.join("\n");
}

/** The JSON of an item that failed under "Continue On Fail". */
export function failureJson(f: ApiFailure, message = failureMessage(f)): IDataObject {
  return {
    error: message,
    code: f.code,
    httpCode: f.httpCode,
    ...(f.requestId ? { requestId: f.requestId } : {}),
    ...(f.details ? { details: f.details } : {}),
    ...(f.retryAfter !== undefined ? { retryAfter: f.retryAfter } : {}),
  };
}

/** Thrown for an answer other than 2xx; the node turns it into a NodeApiError. */
export class ApiFailureError extends Error {
  constructor(
    readonly failure: ApiFailure,
    readonly extra?: string,
  ) {
    super(failureMessage(failure));
    this.name = "ApiFailureError";
  }
}

/**
 * The output items of an answer's `data`. n8n takes an output item whose JSON has a top-level `error`
 * key (even null) for a failed item: "Retry On Fail" would send a report that succeeded again, up to
 * its tries. So the stored execution's `error` is given as `executionError`.
 */
export function outputOf(resource: string, data: unknown): IDataObject[] {
  const list = Array.isArray(data) ? (data as IDataObject[]) : [(data ?? {}) as IDataObject];
  if (resource !== "execution") return list;
  return list.map((json) => {
    if (!json || typeof json !== "object" || !("error" in json)) return json;
    const { error, ...rest } = json;
    return { ...rest, executionError: error };
  });
}

/** Sends and returns `data`, or throws ApiFailureError. */
export async function call(send: Send, request: ApiRequest): Promise<unknown> {
  const answer = readAnswer(await send(request));
  if (!answer.ok) throw new ApiFailureError(answer.failure);
  return answer.data;
}

export interface QuotaWaitOptions {
  /** On 429: wait the Retry-After and ask again ("wait"), or fail the item at once ("fail"). */
  onExceeded: "wait" | "fail";
  /** Longest total wait, in seconds, before giving up. */
  maxWaitSeconds: number;
  sleep: (ms: number) => Promise<void>;
}

/** POST …/quota/acquire, waiting on 429 within the user's budget of seconds. */
export async function acquireWithWait(send: Send, request: ApiRequest, options: QuotaWaitOptions): Promise<unknown> {
  let waited = 0;
  for (;;) {
    const answer = readAnswer(await send(request));
    if (answer.ok) return answer.data;
    const f = answer.failure;
    if (f.httpCode !== 429) throw new ApiFailureError(f);
    if (options.onExceeded === "fail") {
      throw new ApiFailureError(f, "On Quota Exceeded is set to fail the item. Set it to wait to retry after Retry-After instead.");
    }
    const wait = Math.max(1, f.retryAfter ?? 1);
    if (waited + wait > options.maxWaitSeconds) {
      throw new ApiFailureError(
        f,
        `Gave up: the quota frees up in ${wait} s, beyond the node's Max Wait of ${options.maxWaitSeconds} s (${waited} s waited already).`,
      );
    }
    await options.sleep(wait * 1000);
    waited += wait;
  }
}
