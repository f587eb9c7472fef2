// What must never appear in a log line or a response (issue 12, "Decisions"): API keys, bearer
// tokens (JWTs), Meta access tokens, ENCRYPTION_KEY, AUTHORIZER_WEBHOOK_SECRET, the Upstash token,
// database passwords (and the tenant claim secret). Known values are looked for verbatim; secrets
// made by tests all over the suite are recognised by their shape.
import { appendFileSync } from "node:fs";
import { format } from "node:util";

export interface Secret {
  name: string;
  value: string;
}

/** Shapes of secrets the suite makes everywhere: any match in a log line is a leak. */
export const SECRET_SHAPES: { name: string; pattern: RegExp }[] = [
  // Access tokens (and any JWT): three base64url segments, header and payload JSON objects.
  { name: "JWT", pattern: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/ },
  // The whole key; `apk_<prefix>` alone is the public part, shown in listings and fine in logs.
  { name: "API key", pattern: /apk_[a-z2-7]{8}_[A-Za-z0-9_-]{43}/ },
  // A signing key's HMAC secret (POST /v1/api-keys with requireSignature), shown once.
  { name: "API key signing secret", pattern: /sig_[A-Za-z0-9_-]{43}/ },
  // Meta's user/system-user tokens start EAA; the fixtures' tokens are shaped like them.
  { name: "Meta access token", pattern: /EAA[A-Za-z0-9]{20,}/ },
];

/** Bindings whose values are secrets; for connection strings, the password. */
const SECRET_VARS = ["ENCRYPTION_KEY", "AUTHORIZER_WEBHOOK_SECRET", "UPSTASH_REDIS_REST_TOKEN", "TENANT_CLAIM_SECRET"];
const URL_VARS = ["DATABASE_URL", "CROSS_TENANT_DATABASE_URL"];

export function stackSecrets(vars: Record<string, string>, extraUrls: (string | null | undefined)[] = []): Secret[] {
  const secrets: Secret[] = [];
  for (const name of SECRET_VARS) if (vars[name]) secrets.push({ name, value: vars[name] });
  const urls: [string, string | null | undefined][] = [
    ...URL_VARS.map((n) => [n, vars[n]] as [string, string | undefined]),
    ...extraUrls.map((u) => ["database URL", u] as [string, string | null | undefined]),
  ];
  for (const [name, url] of urls) {
    if (!url) continue;
    const password = decodeURIComponent(new URL(url).password);
    // The local roles' "local" is a word the output uses anyway ("localhost"); a real one is long.
    if (password.length >= 8) secrets.push({ name: `${name} password`, value: password });
  }
  return secrets;
}

// Wrangler colours warnings and errors; the escape sequences could split nothing, but are noise.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** Each leak in `text`, described without the secret itself (its first characters only). */
export function findLeaks(text: string, secrets: Secret[] = []): string[] {
  const plain = text.replace(ANSI, "");
  const leaks: string[] = [];
  const where = (index: number) => {
    const lineStart = plain.lastIndexOf("\n", index) + 1;
    return `line ${plain.slice(0, lineStart).split("\n").length}`;
  };
  for (const { name, value } of secrets) {
    const at = plain.indexOf(value);
    if (at >= 0) leaks.push(`${name} (${value.slice(0, 4)}…) at ${where(at)}`);
  }
  for (const { name, pattern } of SECRET_SHAPES) {
    const found = new RegExp(pattern.source, "g").exec(plain);
    if (found) leaks.push(`${/^[AEIOU]/.test(name) ? "an" : "a"} ${name} (${found[0].slice(0, 8)}…) at ${where(found.index)}`);
  }
  return leaks;
}

/**
 * Sends every console line of this process (where wrangler prints the Worker's output) to `file`
 * as well; errors still reach the terminal, everything else only the file. Returns the undo.
 */
export function captureConsole(file: string): () => void {
  const methods = ["log", "info", "warn", "error", "debug"] as const;
  const original = Object.fromEntries(methods.map((m) => [m, console[m]])) as Record<(typeof methods)[number], (...a: unknown[]) => void>;
  for (const m of methods) {
    console[m] = (...args: unknown[]) => {
      appendFileSync(file, `${format(...args)}\n`);
      if (m === "error") original[m].apply(console, args);
    };
  }
  return () => {
    for (const m of methods) console[m] = original[m];
  };
}
