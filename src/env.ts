// Worker bindings (vars and secrets), validated with one schema. A missing or malformed setting is a
// ConfigError naming the setting: requests that need configuration fail with a 500 whose log line
// says which setting is wrong, and /health/ready reports it. The parse is cached per bindings
// object, which workerd keeps for the isolate's lifetime, so the cost is paid once per isolate.
import { z } from "zod";

/** The raw bindings as wrangler hands them to the Worker. */
export type Bindings = Record<string, unknown>;

const postgresUrl = z
  .string({ error: "is required" })
  .min(1, "is required")
  .refine((v) => {
    try {
      const u = new URL(v);
      return (
        (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.username !== "" && u.hostname !== "" && u.pathname.length > 1
      );
    } catch {
      return false;
    }
  }, "must be a postgresql://user:password@host/database URL");

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

const positiveInt = (fallback: number) =>
  z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").positive("must be positive").default(fallback);

export const configSchema = z.object({
  DATABASE_URL: postgresUrl,
  /**
   * Postgres connection string of the cross-tenant role (a member of `automation_cross_tenant`):
   * Authorizer webhooks, SUPER_ADMIN listings and scheduled jobs, through crossTenantBatch only.
   */
  CROSS_TENANT_DATABASE_URL: postgresUrl,
  /**
   * HMAC key of the tenant claims that row-level security checks (src/db/claim.ts). The database
   * holds the same key (installed by `npm run db:migrate`); the application role cannot read it.
   */
  TENANT_CLAIM_SECRET: z
    .string({ error: "is required" })
    .min(1, "is required")
    .min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)"),
  /** Local only: the SQL-over-HTTP endpoint standing in for Neon's proxy. */
  NEON_HTTP_ENDPOINT: httpUrl.optional(),
  /** Upper bound of one SQL-over-HTTP round trip before the request answers 503. */
  DB_TIMEOUT_MS: positiveInt(5000),
  UPSTASH_REDIS_REST_URL: httpUrl.optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
  /** Issuer of access tokens; the JWKS is read from `${AUTHORIZER_URL}/.well-known/jwks.json`. */
  AUTHORIZER_URL: z.string({ error: "is required" }).pipe(httpUrl),
  AUTHORIZER_CLIENT_ID: z.string({ error: "is required" }).min(1, "is required"),
  /** Key of the HMAC in X-Authorizer-Signature on Authorizer's webhooks. */
  AUTHORIZER_WEBHOOK_SECRET: z.string({ error: "is required" }).min(1, "is required"),
  /** Longest access token lifetime (`exp - iat`) accepted; Authorizer's default is 30 minutes. */
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: positiveInt(86400),
  /**
   * Failed authentications a minute per client address (CF-Connecting-IP; IPv6 per /64) before
   * further failures answer 429 instead of 401. Counted in Upstash; 0 turns the limit off. A valid
   * credential is never refused by it.
   */
  AUTH_FAILURE_LIMIT: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(0, "must be 0 or more")
    .default(60),
  ENCRYPTION_KEY: z
    .string()
    .refine((v) => decodedLength(v) === 32, "must be base64 of exactly 32 bytes")
    .optional(),
  /**
   * Browser origins allowed to call the API (comma-separated, e.g. `https://app.example.com`), or `*`.
   * Unset: no CORS headers at all (server-to-server callers need none).
   */
  CORS_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((o) => o === "*" || isOrigin(o)), "must be `*` or comma-separated origins like https://app.example.com")
    .refine((list) => !(list.includes("*") && list.length > 1), "`*` cannot be combined with other origins")
    .optional(),
  /** Retired keys (comma-separated base64), only for decrypting tokens not yet re-encrypted. */
  ENCRYPTION_KEY_PREVIOUS: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((k) => k.trim())
        .filter((k) => k !== ""),
    )
    .pipe(z.array(z.string().refine((v) => decodedLength(v) === 32, "must hold only base64 keys of exactly 32 bytes")))
    .optional(),
  META_API_RATE_LIMIT: positiveInt(200),
  META_API_RATE_WINDOW: positiveInt(3600),
  QUOTA_FAIL_MODE: z.enum(["closed", "open"], { error: "must be 'closed' or 'open'" }).default("closed"),
  /** Meta utilization (percent, highest of the usage headers) at or above which an account is blocked. */
  QUOTA_BLOCK_THRESHOLD: z.coerce
    .number({ error: "must be a number" })
    .gt(0, "must be above 0")
    .max(100, "must be at most 100")
    .default(90),
  /** How long a block lasts when Meta gives no estimate of its own. */
  QUOTA_DEFAULT_BLOCK_SECONDS: positiveInt(300),
  /** Bound on one Upstash round trip (the client's own default is none; the limiter's 5 s fails open). */
  UPSTASH_TIMEOUT_MS: positiveInt(1000),
  /** Prefix of every quota key in Redis (tests give each run its own). */
  QUOTA_KEY_PREFIX: z.string().min(1).default("quota:"),
  /**
   * `npm run bench` only: "1" serves the raw counterparts of the hot endpoints under /__bench/
   * (src/routes/bench), and only together with NEON_HTTP_ENDPOINT (the local stack). Never set it in
   * wrangler.toml or on a deployed Worker.
   */
  BENCH_ROUTES: z.string().optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: { setting: string; message: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.setting} ${p.message}`).join("; ")}`);
    this.name = "ConfigError";
  }
}

const parsed = new WeakMap<object, Config | ConfigError>();

/** Returns the validated configuration, or throws ConfigError naming every bad setting. */
export function loadConfig(bindings: Bindings): Config {
  let result = parsed.get(bindings);
  if (!result) {
    // Empty strings are how an unset `wrangler secret`/var usually shows up: treat them as unset.
    const present = Object.fromEntries(Object.entries(bindings).filter(([, v]) => v !== ""));
    const outcome = configSchema.safeParse(present);
    result = outcome.success
      ? outcome.data
      : new ConfigError(outcome.error.issues.map((i) => ({ setting: String(i.path[0] ?? "(bindings)"), message: i.message })));
    parsed.set(bindings, result);
  }
  if (result instanceof ConfigError) throw result;
  return result;
}

function decodedLength(b64: string): number {
  try {
    return atob(b64).length;
  } catch {
    return -1;
  }
}

/** scheme://host[:port] and nothing else (no path, no trailing slash): what a browser sends as Origin. */
function isOrigin(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === "https:" || u.protocol === "http:") && u.origin === value;
  } catch {
    return false;
  }
}
