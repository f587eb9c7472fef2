// What each operation sends: pure functions from the node's parameters (and the input item) to an
// API request. No n8n runtime here, so the unit tests can call them directly.
import type { IDataObject } from "n8n-workflow";

export type Resource = "execution" | "quota" | "adAccount" | "report";

export interface ApiRequest {
  method: "GET" | "POST";
  /** Path under the base URL, starting with /v1/. */
  path: string;
  body?: IDataObject;
}

/** Reads a node parameter of the item being processed (`getNodeParameter(name, itemIndex, fallback)`). */
export type ParamReader = (name: string, fallback?: unknown) => unknown;

/** A parameter the user set in a way the API cannot take: the item fails before any request. */
export class ParameterError extends Error {
  constructor(
    message: string,
    readonly description?: string,
  ) {
    super(message);
    this.name = "ParameterError";
  }
}

/** n8n's execution statuses (what `status` offers), in the words the webhook accepts. */
export const N8N_STATUSES = ["new", "running", "waiting", "success", "error", "crashed", "canceled", "unknown"] as const;
export type N8nStatus = (typeof N8N_STATUSES)[number];
/** Statuses that start or continue an execution (the API maps them to RUNNING). */
export const ONGOING_STATUSES: readonly N8nStatus[] = ["new", "running", "waiting", "unknown"];
export const FAILED_STATUSES: readonly N8nStatus[] = ["error", "crashed", "canceled"];

export const USE_CASES = ["ads_management", "ads_insights", "custom_audience", "other"] as const;
export const REPORT_TYPES = ["WEEKLY_STORYTELLING", "MONTHLY_SUMMARY", "PERFORMANCE_ALERT", "BUDGET_RECOMMENDATION", "CUSTOM"] as const;
/** Meta's usage headers the quota service reads (lower case, as the API wants them). */
export const META_USAGE_HEADERS = ["x-business-use-case-usage", "x-ad-account-usage", "x-app-usage", "x-fb-ads-insights-throttle"] as const;

const segment = (value: unknown, name: string): string => {
  const text = value === undefined || value === null ? "" : String(value).trim();
  if (!text) throw new ParameterError(`${name} is empty`, `Set ${name} (or an expression that gives it) on the node.`);
  return encodeURIComponent(text);
};

const requiredText = (value: unknown, name: string): string => {
  const text = value === undefined || value === null ? "" : String(value).trim();
  if (!text) throw new ParameterError(`${name} is empty`, `Set ${name} (or an expression that gives it) on the node.`);
  return text;
};

/** A JSON parameter: n8n gives a string (typed in the editor) or a value (from an expression). */
export function jsonValue(value: unknown, name: string): unknown {
  if (typeof value !== "string") return value;
  if (value.trim() === "") return undefined;
  let problem = "";
  const parsed = (() => {
    try {
      return JSON.parse(value) as unknown;
    } catch (err) {
      problem = (err as Error).message;
      return undefined;
    }
  })();
  if (problem) throw new ParameterError(`${name} is not valid JSON`, problem);
  return parsed;
}

/**
 * An instant for the API: ISO-8601 in UTC. Editor dates come without a zone: they are taken as UTC;
 * Luxon DateTimes (from `$now` and friends) and Dates are accepted as they are.
 */
export function instant(value: unknown, name: string): string {
  let text: string;
  if (value && typeof value === "object" && typeof (value as { toISO?: unknown }).toISO === "function") {
    text = String((value as { toISO: () => string }).toISO());
  } else if (value instanceof Date) {
    text = value.toISOString();
  } else {
    text = requiredText(value, name);
  }
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : /T\d/.test(text) ? `${text}Z` : `${text}T00:00:00Z`;
  const ms = Date.parse(zoned);
  if (Number.isNaN(ms)) throw new ParameterError(`${name} is not a date`, `Got "${text}"; use ISO-8601, e.g. 2026-11-26T06:00:00Z.`);
  return new Date(ms).toISOString();
}

/** Reads `a.b.c` in an item's JSON. */
export function readPath(json: IDataObject, path: string): unknown {
  let current: unknown = json;
  for (const key of path.split(".").filter(Boolean)) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const copy = (json: IDataObject): IDataObject => JSON.parse(JSON.stringify(json)) as IDataObject;

// ─── execution → report ──────────────────────────────────────────────────────────────────────────

const JSON_FIELDS = ["input", "output", "error", "logs", "report"] as const;

export function executionReport(param: ParamReader, item: IDataObject, now: Date): ApiRequest {
  const status = String(param("status", "running")) as N8nStatus;
  if (!N8N_STATUSES.includes(status)) throw new ParameterError(`Status "${status}" is not one of ${N8N_STATUSES.join(", ")}`);
  const body: IDataObject = { executionId: requiredText(param("executionId"), "Execution ID") };
  if (param("workflowBy", "n8nWorkflowId") === "workflowId") body.workflowId = requiredText(param("workflowId"), "Workflow ID");
  else body.n8nWorkflowId = requiredText(param("n8nWorkflowId"), "Workflow ID in n8n");
  body.status = status;

  const itemAs = String(param("sendItemAs", "none"));
  if (itemAs === "output" || itemAs === "error" || itemAs === "logs" || itemAs === "input") body[itemAs] = copy(item);

  const extra = (param("additionalFields", {}) ?? {}) as IDataObject;
  for (const field of JSON_FIELDS) {
    if (extra[field] === undefined) continue;
    const value = jsonValue(extra[field], field);
    if (value !== undefined) body[field] = value as IDataObject;
  }
  for (const field of ["mode", "retryOf", "adAccountId", "metaAdAccountId"] as const) {
    const value = extra[field];
    if (value !== undefined && value !== null && String(value).trim() !== "") body[field] = String(value).trim();
  }
  for (const field of ["apiCallsUsed", "dataProcessed"] as const) {
    if (extra[field] === undefined || extra[field] === null || extra[field] === "") continue;
    const n = Number(extra[field]);
    if (!Number.isInteger(n) || n < 0)
      throw new ParameterError(`${field} must be a whole number ≥ 0`, `Got ${JSON.stringify(extra[field])}.`);
    body[field] = n;
  }
  for (const field of ["startedAt", "stoppedAt"] as const) {
    if (extra[field] !== undefined && extra[field] !== null && extra[field] !== "") body[field] = instant(extra[field], field);
  }
  // The moment of the report stands for the start (first report) or the end (terminal report).
  if (ONGOING_STATUSES.includes(status)) body.startedAt ??= now.toISOString();
  else body.stoppedAt ??= now.toISOString();
  return { method: "POST", path: "/v1/webhooks/n8n/executions", body };
}

// ─── quota ───────────────────────────────────────────────────────────────────────────────────────

export function quotaAcquire(param: ParamReader): ApiRequest {
  const id = segment(param("adAccountId"), "Ad Account ID");
  const cost = Number(param("cost", 1));
  if (!Number.isInteger(cost) || cost < 1 || cost > 100)
    throw new ParameterError("Cost must be a whole number from 1 to 100", `Got ${cost}.`);
  const useCase = String(param("useCase", "ads_management"));
  return { method: "POST", path: `/v1/ad-accounts/${id}/quota/acquire`, body: { cost, useCase } };
}

function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return headerText(value[0]);
  return typeof value === "string" ? value : JSON.stringify(value);
}

function metaError(value: unknown): IDataObject | undefined {
  if (!value || typeof value !== "object") return undefined;
  const source = value as IDataObject;
  // Meta's body is {error: {code, error_subcode, …}}; the field may hold either level.
  const inner = source.error && typeof source.error === "object" ? (source.error as IDataObject) : source;
  const code = Number(inner.code);
  if (!Number.isInteger(code)) return undefined;
  const out: IDataObject = { code };
  const sub = Number(inner.error_subcode);
  if (inner.error_subcode !== undefined && Number.isInteger(sub)) out.error_subcode = sub;
  return out;
}

/** Meta's usage headers (any case) and/or error from the input item → POST …/quota/usage. */
export function quotaUsage(param: ParamReader, item: IDataObject): ApiRequest {
  const id = segment(param("adAccountId"), "Ad Account ID");
  const headersField = String(param("headersField", "headers")).trim();
  const errorField = String(param("errorField", "body.error")).trim();
  const rawHeaders = headersField ? readPath(item, headersField) : undefined;
  const rawError = errorField ? readPath(item, errorField) : undefined;
  if (rawHeaders === undefined && rawError === undefined) {
    throw new ParameterError(
      `Nothing to report: the item has no "${headersField}" (Meta's response headers) and no "${errorField}" (Meta's error)`,
      'Turn on the Meta request\'s "Include Response Headers and Status" option (and "Never Error") so its output has headers and body, or point these fields at where they are.',
    );
  }
  const body: IDataObject = {};
  if (rawHeaders && typeof rawHeaders === "object") {
    const byName = new Map(Object.entries(rawHeaders as IDataObject).map(([k, v]) => [k.toLowerCase(), v]));
    const headers: IDataObject = {};
    for (const name of META_USAGE_HEADERS) {
      const text = headerText(byName.get(name));
      if (text !== undefined) headers[name] = text;
    }
    if (Object.keys(headers).length) body.headers = headers;
  } else if (rawHeaders !== undefined) {
    throw new ParameterError(`"${headersField}" is not an object of response headers`, `Got ${typeof rawHeaders}.`);
  }
  const error = metaError(rawError);
  if (error) body.error = error;
  return { method: "POST", path: `/v1/ad-accounts/${id}/quota/usage`, body };
}

// ─── ad account ──────────────────────────────────────────────────────────────────────────────────

export function adAccountCredentials(param: ParamReader): ApiRequest {
  return { method: "GET", path: `/v1/ad-accounts/${segment(param("adAccountId"), "Ad Account ID")}/credentials` };
}

// ─── report ──────────────────────────────────────────────────────────────────────────────────────

export function recipientList(value: unknown): string[] {
  const list = Array.isArray(value) ? value.map(String) : String(value ?? "").split(/[,;\s]+/);
  const out = list.map((r) => r.trim()).filter(Boolean);
  if (!out.length) throw new ParameterError("Recipients is empty", "Give at least one email address (comma-separated).");
  return out;
}

export function reportCreate(param: ParamReader): ApiRequest {
  const body: IDataObject = {
    title: requiredText(param("title"), "Title"),
    type: String(param("reportType", "WEEKLY_STORYTELLING")),
    periodStart: instant(param("periodStart"), "Period Start"),
    periodEnd: instant(param("periodEnd"), "Period End"),
    content: requiredText(param("content"), "Content"),
    recipients: recipientList(param("recipients")),
  };
  const extra = (param("additionalFields", {}) ?? {}) as IDataObject;
  for (const field of ["htmlContent", "workflowId", "adAccountId", "executionLogId", "status"] as const) {
    const value = extra[field];
    if (value !== undefined && value !== null && String(value) !== "") body[field] = String(value);
  }
  if (extra.summary !== undefined) {
    const summary = jsonValue(extra.summary, "summary");
    if (summary !== undefined) body.summary = summary as IDataObject;
  }
  return { method: "POST", path: "/v1/reports", body };
}

export function reportDelivery(param: ParamReader): ApiRequest {
  const status = String(param("deliveryStatus", "SENT"));
  const body: IDataObject = { status };
  const extra = (param("additionalFields", {}) ?? {}) as IDataObject;
  if (extra.sentAt !== undefined && extra.sentAt !== "" && extra.sentAt !== null) {
    if (status !== "SENT") throw new ParameterError("Sent At is for a SENT delivery only");
    body.sentAt = instant(extra.sentAt, "Sent At");
  }
  if (extra.details !== undefined) {
    const details = jsonValue(extra.details, "Delivery Details");
    if (details !== undefined) {
      if (!details || typeof details !== "object" || Array.isArray(details)) {
        throw new ParameterError("Delivery Details must be a JSON object", 'e.g. {"provider": "ses", "messageId": "…"}');
      }
      body.deliveryStatus = details as IDataObject;
    }
  }
  return { method: "POST", path: `/v1/reports/${segment(param("reportId"), "Report ID")}/delivery`, body };
}

/** The request of one resource/operation pair (quota → acquire is sent by the waiting loop). */
export function buildRequest(resource: string, operation: string, param: ParamReader, item: IDataObject, now: Date): ApiRequest {
  const key = `${resource}.${operation}`;
  switch (key) {
    case "execution.report":
      return executionReport(param, item, now);
    case "quota.acquire":
      return quotaAcquire(param);
    case "quota.reportUsage":
      return quotaUsage(param, item);
    case "adAccount.getCredentials":
      return adAccountCredentials(param);
    case "report.create":
      return reportCreate(param);
    case "report.recordDelivery":
      return reportDelivery(param);
    default:
      throw new ParameterError(`Unknown operation ${key}`);
  }
}
