// Starts the real Worker (workerd, through wrangler's dev server API) with the given bindings.
// Used by `npm run dev` and by the test suite, so both run exactly what `wrangler deploy` ships.
import { fileURLToPath } from "node:url";
import { unstable_startWorker } from "wrangler";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export interface RunningWorker {
  url: string;
  stop(): Promise<void>;
}

export async function startWorker(opts: {
  vars: Record<string, string>;
  port?: number;
  watch?: boolean;
  logLevel?: "debug" | "info" | "log" | "warn" | "error" | "none";
  /** Serve GET /__scheduled?cron=<expr>, which fires the Worker's `scheduled` handler (local only). */
  testScheduled?: boolean;
}): Promise<RunningWorker> {
  const worker = await unstable_startWorker({
    config: `${repoRoot}wrangler.toml`,
    bindings: Object.fromEntries(
      Object.entries(opts.vars).map(([name, value]) => [name, { type: "plain_text" as const, value }]),
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
