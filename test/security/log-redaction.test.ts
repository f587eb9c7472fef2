// Issue 6, item 5: a failed query's log line must not carry its parameters. A variant of the Worker
// runs as a login role that may not call the principal lookups (no grant), so every authentication
// query fails in Postgres (42501); the Worker's output (workerd's stdout/stderr, which wrangler passes
// to this process) is captured and searched for the parameters.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startWorker, type RunningWorker } from "../../dev/worker.js";
import { newId } from "../../drizzle/ids.js";
import { generateApiKey } from "../../src/auth/api-key-format.js";
import { mintToken, ownerSql } from "../support/fixtures.js";

let worker: RunningWorker;
let role: string;
const captured: string[] = [];
const METHODS = ["log", "info", "warn", "error", "debug"] as const;
const originals = {
  out: process.stdout.write.bind(process.stdout),
  err: process.stderr.write.bind(process.stderr),
  console: Object.fromEntries(METHODS.map((m) => [m, console[m]])) as Record<(typeof METHODS)[number], (...a: unknown[]) => void>,
};

/** wrangler prints workerd's output with console.* (or straight to the streams): capture both. */
function captureOutput(): void {
  for (const [stream, original] of [
    [process.stdout, originals.out],
    [process.stderr, originals.err],
  ] as const) {
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  }
  for (const m of METHODS) {
    console[m] = (...args: unknown[]) => {
      captured.push(`${args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ")}\n`);
      originals.console[m](...args);
    };
  }
}

beforeAll(async () => {
  role = `leak_probe_${newId()}`;
  await ownerSql.query(`create role "${role}" login password 'probe'`);
  const url = new URL(inject("workerVars").DATABASE_URL!);
  url.username = role;
  url.password = "probe";
  captureOutput();
  worker = await startWorker({ vars: { ...inject("workerVars"), DATABASE_URL: url.toString() }, logLevel: "log" });
  await (await fetch(`${worker.url}/health`)).arrayBuffer(); // cold start outside the tests' time
}, 120_000);

afterAll(async () => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
  for (const m of METHODS) console[m] = originals.console[m];
  await worker?.stop();
  await ownerSql.query(`drop role if exists "${role}"`);
});

/** The Worker's output after a request, once the line with its request id has arrived. */
async function outputOf(requestId: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const text = captured.join("");
    if (text.includes(requestId) && text.includes('"msg":"request"')) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no log line for ${requestId}; captured:\n${captured.join("").slice(-2000)}`);
}

describe("a failed query's log line", () => {
  it("carries neither an API key's hash nor the key (SQL text and SQLSTATE instead)", async () => {
    const key = await generateApiKey();
    const requestId = `leak-probe-${newId()}`;
    const res = await fetch(`${worker.url}/v1/me`, { headers: { Authorization: `Bearer ${key.key}`, "X-Request-Id": requestId } });
    expect(res.status).toBe(500);
    const output = await outputOf(requestId);
    expect(output).not.toContain(key.hash);
    expect(output).not.toContain(key.key);
    const line = output.split("\n").find((l) => l.includes(requestId) && l.includes('"msg":"request"'))!;
    expect(line).toContain("42501");
    expect(line).toContain("api_principal_for_key($1)");
  }, 60_000);

  it("carries no token subject", async () => {
    const sub = `auth-secret-subject-${newId()}`;
    const requestId = `leak-probe-${newId()}`;
    const res = await fetch(`${worker.url}/v1/me`, {
      headers: { Authorization: `Bearer ${await mintToken(sub)}`, "X-Request-Id": requestId },
    });
    expect(res.status).toBe(500);
    const output = await outputOf(requestId);
    expect(output).not.toContain(sub);
    expect(output).toContain("api_principal_for_subject($1)");
  }, 60_000);
});
