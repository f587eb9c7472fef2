// Worker settings for the local stack. `npm run dev` hands the Worker every setting of the config
// schema found in its environment (ENCRYPTION_KEY, CORS_ORIGINS, the quota settings, and whatever is
// added to src/env.ts later), and keeps a development ENCRYPTION_KEY under .data/ when none is given
// so encrypted ad-account tokens survive restarts. The stack's own wiring (DATABASE_URL, endpoints,
// Authorizer) is decided by dev/stack.ts and wins over the environment.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { configSchema } from "../src/env.js";

export const DEV_ENCRYPTION_KEY_FILE = ".data/encryption-key";

/** Settings the stack decides itself (never copied from the environment). */
const WIRED_BY_STACK = new Set([
  "DATABASE_URL",
  "CROSS_TENANT_DATABASE_URL",
  "TENANT_CLAIM_SECRET",
  "NEON_HTTP_ENDPOINT",
  "AUTHORIZER_URL",
  "AUTHORIZER_CLIENT_ID",
  "AUTHORIZER_WEBHOOK_SECRET",
]);

/** Every Worker setting present in `env`, except those the stack wires itself. */
export function workerSettingsFrom(env: NodeJS.ProcessEnv): Record<string, string> {
  const names = Object.keys(configSchema.shape).filter((name) => !WIRED_BY_STACK.has(name));
  return Object.fromEntries(names.filter((name) => env[name]).map((name) => [name, env[name] as string]));
}

/** A random AES-256 key, base64 (what ENCRYPTION_KEY holds). */
export function randomEncryptionKey(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
}

/** The development key: read from `file`, or made and written there on first use. */
export function persistedEncryptionKey(file = DEV_ENCRYPTION_KEY_FILE): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const key = randomEncryptionKey();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
