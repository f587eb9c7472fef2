// What the local stack prints and where it connects. Secrets reach the local Worker as secret
// bindings, so wrangler masks them in its start banner (and everywhere else it prints bindings),
// even at the most verbose log level; and starting the Worker reaches nothing beyond this machine
// (no Request.cf fetch from workers.cloudflare.com, no telemetry). The Worker runs in a child
// process (worker-child.ts) so all of its stdout/stderr and every connection it opens are seen;
// NODE_ENV is not "test" there, as under `npm run dev`.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { SECRET_BINDINGS } from "../../dev/worker.js";

const CHILD = fileURLToPath(new URL("./worker-child.ts", import.meta.url));
const TSX = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

function runWorker(vars: Record<string, string>, logLevel: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development", WORKER_VARS: JSON.stringify(vars), WORKER_LOG_LEVEL: logLevel };
  // The stack's own defaults are under test, not a setting inherited from the caller.
  for (const name of ["CLOUDFLARE_CF_FETCH_ENABLED", "CLOUDFLARE_CF_FETCH_PATH", "WRANGLER_SEND_METRICS", "WRANGLER_SEND_ERROR_REPORTS"])
    delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, CHILD], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(output) : reject(new Error(`worker child exited with ${code}:\n${output}`))));
  });
}

/** Every secret value, and for connection strings the password on its own. */
function secretValues(vars: Record<string, string>): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(vars)) {
    if (!SECRET_BINDINGS.has(name) || !value) continue;
    values.push(value);
    try {
      const password = decodeURIComponent(new URL(value).password);
      if (password.length >= 8) values.push(password); // shorter ones ("local") are words the banner uses anyway
    } catch {
      // not a URL
    }
  }
  return values;
}

describe("the local Worker's own output and connections", () => {
  it("masks every secret binding, even at log level debug, and connects only to this machine", { timeout: 120_000 }, async () => {
    const vars: Record<string, string> = {
      ...inject("workerVars"),
      DATABASE_URL: "postgresql://app:pw-database-secret@127.0.0.1:5432/app",
    };
    const secrets = secretValues(vars);
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    const output = await runWorker(vars, "debug");

    // The banner was printed (so masking is what is being checked), and the Worker answered.
    expect(output).toContain("(hidden)");
    expect(output).toContain("HEALTH 200");
    for (const name of SECRET_BINDINGS) if (vars[name]) expect(output).toContain(`env.${name} ("(hidden)")`);
    const leaked = secrets.filter((s) => output.includes(s));
    expect(
      leaked.map((s) => `${s.slice(0, 4)}…`),
      "secret values in the output",
    ).toEqual([]);

    const hosts = [...output.matchAll(/^CONNECT (.+)$/gm)].map((m) => m[1]!);
    const outbound = hosts.filter((h) => !LOCAL_HOSTS.has(h) && !h.startsWith("unix:"));
    expect(outbound, "connections leaving this machine").toEqual([]);
  });
});
