// What Meta tells a caller about its rate limits, turned into utilization and blocks. Pure: n8n
// reports the usage headers and throttle errors of a Meta response; this decides what they mean.
// Sources: shared/reference/meta-rate-limits.md (Meta's rate-limiting pages, Airbyte's consumer).

/** What a block applies to: the whole ad account, or one business use case. */
export const BLOCK_SCOPES = ["account", "ads_management", "ads_insights", "custom_audience", "other"] as const;
export type BlockScope = (typeof BLOCK_SCOPES)[number];
export const USE_CASES = ["ads_management", "ads_insights", "custom_audience", "other"] as const;
export type UseCase = (typeof USE_CASES)[number];

export const USAGE_HEADERS = ["x-business-use-case-usage", "x-ad-account-usage", "x-app-usage", "x-fb-ads-insights-throttle"] as const;
export type UsageHeader = (typeof USAGE_HEADERS)[number];

export interface Block {
  scope: BlockScope;
  /** Seconds from now. */
  seconds: number;
  /** Why, for the response and the log (e.g. "x-ad-account-usage 93%", "error 80000"). */
  reason: string;
}

export interface MetaSignals {
  /** Highest percentage over every header reported (0–100), or null when none carried one. */
  utilization: number | null;
  blocks: Block[];
}

export interface MetaReport {
  headers?: Partial<Record<UsageHeader, string>>;
  error?: { code: number; error_subcode?: number };
}

export interface SignalOptions {
  /** The account's Meta id (`act_<digits>`): selects its entries in X-Business-Use-Case-Usage. */
  metaAdAccountId: string;
  /** Percent at or above which a header blocks. */
  threshold: number;
  /** Block length when Meta gives no estimate. */
  defaultBlockSeconds: number;
}

/** A usage header whose value is not the JSON Meta sends: answered 400 naming the header. */
export class MalformedHeaderError extends Error {
  constructor(
    readonly header: UsageHeader,
    detail: string,
  ) {
    super(`${header} is not valid usage JSON: ${detail}`);
    this.name = "MalformedHeaderError";
  }
}

/** Meta's business use case types, as our use cases (Meta's others share "other"). */
export function useCaseOf(type: string): UseCase {
  return (USE_CASES as readonly string[]).includes(type) ? (type as UseCase) : "other";
}

/** Throttle error codes: what they block. 4/17/32/613 the whole account, 80000–80014 one use case. */
const BUC_ERROR_TYPES: Record<number, string> = {
  80000: "ads_insights",
  80001: "pages",
  80002: "instagram",
  80003: "custom_audience",
  80004: "ads_management",
  80005: "leadgen",
  80006: "messenger",
  80008: "whatsapp",
  80009: "catalog_management",
  80014: "catalog_batch",
};

export function throttleScope(code: number): BlockScope | null {
  if (code === 4 || code === 17 || code === 32 || code === 613) return "account";
  if (code >= 80000 && code <= 80014) return useCaseOf(BUC_ERROR_TYPES[code] ?? "other");
  return null;
}

export function metaSignals(report: MetaReport, opts: SignalOptions): MetaSignals {
  const blocks: Block[] = [];
  const percentages: number[] = [];
  const h = report.headers ?? {};
  const over = (pct: number) => pct >= opts.threshold;

  if (h["x-business-use-case-usage"] !== undefined) {
    const parsed = parseObject("x-business-use-case-usage", h["x-business-use-case-usage"]);
    const own = opts.metaAdAccountId.replace(/^act_/, "");
    // Entries are keyed by ad account id; those of this account count (all of them if none is).
    const keys = Object.keys(parsed).includes(own) ? [own] : Object.keys(parsed);
    for (const key of keys) {
      const entries = parsed[key];
      if (!Array.isArray(entries)) throw new MalformedHeaderError("x-business-use-case-usage", `"${key}" is not an array`);
      for (const entry of entries) {
        if (!isObject(entry)) throw new MalformedHeaderError("x-business-use-case-usage", `an entry of "${key}" is not an object`);
        const type = typeof entry.type === "string" ? entry.type : "other";
        const pct = highest("x-business-use-case-usage", entry, ["call_count", "total_cputime", "total_time"]);
        if (pct !== null) percentages.push(pct);
        const regainMinutes = num("x-business-use-case-usage", entry, "estimated_time_to_regain_access") ?? 0;
        if (regainMinutes > 0 || (pct !== null && over(pct))) {
          blocks.push({
            scope: useCaseOf(type),
            seconds: regainMinutes > 0 ? Math.ceil(regainMinutes * 60) : opts.defaultBlockSeconds,
            reason: `x-business-use-case-usage ${type} ${pct ?? 0}%${regainMinutes > 0 ? `, regain in ${regainMinutes} min` : ""}`,
          });
        }
      }
    }
  }

  if (h["x-ad-account-usage"] !== undefined) {
    const parsed = parseObject("x-ad-account-usage", h["x-ad-account-usage"]);
    const pct = num("x-ad-account-usage", parsed, "acc_id_util_pct");
    const reset = num("x-ad-account-usage", parsed, "reset_time_duration") ?? 0;
    if (pct !== null) {
      percentages.push(pct);
      if (over(pct)) {
        blocks.push({
          scope: "account",
          seconds: reset > 0 ? Math.ceil(reset) : opts.defaultBlockSeconds,
          reason: `x-ad-account-usage ${pct}%`,
        });
      }
    }
  }

  if (h["x-app-usage"] !== undefined) {
    const parsed = parseObject("x-app-usage", h["x-app-usage"]);
    const pct = highest("x-app-usage", parsed, ["call_count", "total_time", "total_cputime"]);
    if (pct !== null) {
      percentages.push(pct);
      if (over(pct)) blocks.push({ scope: "account", seconds: opts.defaultBlockSeconds, reason: `x-app-usage ${pct}%` });
    }
  }

  if (h["x-fb-ads-insights-throttle"] !== undefined) {
    const parsed = parseObject("x-fb-ads-insights-throttle", h["x-fb-ads-insights-throttle"]);
    const pct = highest("x-fb-ads-insights-throttle", parsed, ["app_id_util_pct", "acc_id_util_pct"]);
    if (pct !== null) {
      percentages.push(pct);
      if (over(pct))
        blocks.push({ scope: "ads_insights", seconds: opts.defaultBlockSeconds, reason: `x-fb-ads-insights-throttle ${pct}%` });
    }
  }

  if (report.error) {
    const scope = throttleScope(report.error.code);
    if (scope) {
      // A header estimate for the same scope in this report is Meta's own word on the length.
      const estimate = Math.max(0, ...blocks.filter((b) => b.scope === scope).map((b) => b.seconds));
      const sub = report.error.error_subcode !== undefined ? `/${report.error.error_subcode}` : "";
      blocks.push({ scope, seconds: Math.max(estimate, opts.defaultBlockSeconds), reason: `error ${report.error.code}${sub}` });
    }
  }

  return { utilization: percentages.length ? Math.max(...percentages) : null, blocks };
}

function parseObject(header: UsageHeader, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedHeaderError(header, "it does not parse");
  }
  if (!isObject(value)) throw new MalformedHeaderError(header, "it is not a JSON object");
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A numeric field (Meta sometimes sends numbers as strings); absent → null; anything else → 400. */
function num(header: UsageHeader, obj: Record<string, unknown>, field: string): number | null {
  const v = obj[field];
  if (v === undefined || v === null) return null;
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0)
    throw new MalformedHeaderError(header, `${field} is not a non-negative number`);
  return n;
}

function highest(header: UsageHeader, obj: Record<string, unknown>, fields: string[]): number | null {
  const values = fields.map((f) => num(header, obj, f)).filter((v): v is number => v !== null);
  return values.length ? Math.max(...values) : null;
}
