// Starts the real Worker (workerd, through wrangler's dev server API) with the given bindings.
// Used by `npm run dev` and by the test suite, so both run exactly what `wrangler deploy` ships.
import { fileURLToPath } from "node:url";
import { unstable_startWorker } from "wrangler";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export interface RunningWorker {
  url: string;
  stop(): Promise<void>;
}

/**
 * Bindings that are secrets in production (`wrangler secret put`): the local Worker gets them as
 * secret bindings too, so wrangler masks their values wherever it prints the bindings (its start
 * banner lists plain-text vars with their values).
 */
export const SECRET_BINDINGS = new Set([
  "DATABASE_URL",
  "CROSS_TENANT_DATABASE_URL",
  "TENANT_CLAIM_SECRET",
  "AUTHORIZER_WEBHOOK_SECRET",
  "ENCRYPTION_KEY",
  "UPSTASH_REDIS_REST_TOKEN",
]);

/**
 * Offline first: the local stack makes no request beyond this machine. Miniflare would fetch
 * `Request.cf` from workers.cloudflare.com at start (outside tests), and wrangler may send usage
 * metrics and error reports; each is switched off through its own documented setting, unless the
 * caller's environment already chose.
 */
export function offlineDefaults(env: NodeJS.ProcessEnv = process.env): void {
  env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false"; // miniflare: use its built-in placeholder `cf`
  env.WRANGLER_SEND_METRICS ??= "false";
  env.WRANGLER_SEND_ERROR_REPORTS ??= "false";
}

export async function startWorker(opts: {
  vars: Record<string, string>;
  port?: number;
  watch?: boolean;
  logLevel?: "debug" | "info" | "log" | "warn" | "error" | "none";
  /** Serve GET /__scheduled?cron=<expr>, which fires the Worker's `scheduled` handler (local only). */
  testScheduled?: boolean;
}): Promise<RunningWorker> {
  offlineDefaults();
  const worker = await unstable_startWorker({
    config: `${repoRoot}wrangler.toml`,
    bindings: Object.fromEntries(
      Object.entries(opts.vars).map(([name, value]) => [
        name,
        { type: SECRET_BINDINGS.has(name) ? ("secret_text" as const) : ("plain_text" as const), value },
      ]),
    ),
    dev: {
      server: { hostname: "127.0.0.1", port: opts.port ?? 0 },
      inspector: false,
      watch: opts.watch ?? false,
      liveReload: false,
      persist: false,
      logLevel: opts.logLevel ?? "warn",
      testScheduled: opts.testScheduled ?? false,
    },
  });
  await worker.ready;
  const url = (await worker.url).toString().replace(/\/$/, "");
  return { url, stop: () => worker.dispose() };
}
