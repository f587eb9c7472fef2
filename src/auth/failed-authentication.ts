// Every refused authentication (401/403 from authenticate) is reported here, once per request, and
// nowhere else. It records the refusal on the request's log line and counts it against the client
// address in Upstash (a sliding window of one minute, AUTH_FAILURE_LIMIT failures): past the limit
// the refusal becomes a 429 `quota_exceeded` with Retry-After, so a flood of random API keys or
// forged tokens is slowed down for every isolate at once.
//
// Only failures are counted, after the credential was checked, so a valid credential is never
// refused by this limit (issue 6's decision), even from an address that is over it. The limit is a
// brake, not a gate: when Upstash is not configured, slow or down, the refusal stays a 401 (never a
// 503 because of it) and the failure is logged.
import { Ratelimit } from "@upstash/ratelimit";
import type { AppContext } from "../http/context.js";
import { config } from "../http/context.js";
import { ApiError } from "../lib/errors.js";
import { describeError } from "../lib/log.js";
import { upstashRedis, withinUpstashTimeout } from "../lib/upstash.js";
import type { AuthOutcome } from "./authenticate.js";

const WINDOW_SECONDS = 60;

// Per isolate: addresses known to be over the limit, until when. While one is, its failures are
// refused without asking Upstash again (the attacker's requests cost no round trip at all).
const blockedUntil = new Map<string, number>();
const MAX_REMEMBERED = 10_000;

export async function reportFailedAuthentication(c: AppContext, outcome: Extract<AuthOutcome, { ok: false }>): Promise<void> {
  const log = c.get("log");
  log.set({ auth: { refused: outcome.status } });
  const cfg = config(c);
  if (cfg.AUTH_FAILURE_LIMIT === 0) return;
  const address = clientAddress(c.req.header("cf-connecting-ip"));
  const now = Date.now();
  const known = blockedUntil.get(address);
  if (known !== undefined) {
    if (known > now) throw tooManyFailures(known - now);
    blockedUntil.delete(address);
  }
  const redis = upstashRedis(cfg);
  if (!redis) return;
  const limiter = new Ratelimit({
    redis,
    prefix: `${cfg.QUOTA_KEY_PREFIX}auth-failures`,
    limiter: Ratelimit.slidingWindow(cfg.AUTH_FAILURE_LIMIT, `${WINDOW_SECONDS} s`),
    ephemeralCache: false,
    timeout: 0,
    analytics: false,
  });
  let result: { success: boolean; reset: number };
  try {
    result = await withinUpstashTimeout(cfg.UPSTASH_TIMEOUT_MS, limiter.limit(address));
  } catch (err) {
    log.set({ authFailureLimit: { unavailable: describeError(err) } });
    return;
  }
  if (result.success) return;
  if (blockedUntil.size >= MAX_REMEMBERED) blockedUntil.clear();
  blockedUntil.set(address, result.reset);
  log.set({ authFailureLimit: { exceeded: true } });
  throw tooManyFailures(result.reset - now);
}

function tooManyFailures(waitMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new ApiError(
    "quota_exceeded",
    `Too many failed authentications from this address; retry in ${seconds} s with a valid credential.`,
    {
      headers: { "Retry-After": String(seconds) },
    },
  );
}

/**
 * The key an address is counted under. Cloudflare sets CF-Connecting-IP on every request that
 * reaches a Worker (a client cannot choose it there). IPv6 clients usually hold a whole /64, so
 * they are counted per /64; without the header (local development) all callers share one key.
 */
export function clientAddress(header: string | undefined): string {
  const ip = header?.trim();
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const [head = "", tail = ""] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
