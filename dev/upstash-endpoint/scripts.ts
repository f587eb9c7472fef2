// Lua scripts as Upstash runs them. Since @upstash/ratelimit 2.1 every script starts with
// `#!lua flags=allow-key-locking`, a flag only Upstash knows (Redis 7.0 answers "Unexpected flag in
// script shebang"). The endpoint strips a leading `#!lua` line before the store sees the script and
// remembers SHA-1(original) → SHA-1(stripped), so EVALSHA with the client's hard-coded hashes hits.
import { createHash } from "node:crypto";

export const sha1 = (text: string) => createHash("sha1").update(text, "utf8").digest("hex");

export function stripShebang(script: string): string {
  if (!script.startsWith("#!lua")) return script;
  const newline = script.indexOf("\n");
  return newline === -1 ? "" : script.slice(newline + 1);
}

export class ScriptRegistry {
  /** SHA-1 of a script as the client sent it → SHA-1 of what the store runs. */
  private readonly aliases = new Map<string, string>();

  /** Registers a script's text (EVAL, SCRIPT LOAD) and returns what the store should run. */
  prepare(script: string): string {
    const stripped = stripShebang(script);
    if (stripped !== script) this.aliases.set(sha1(script), sha1(stripped));
    return stripped;
  }

  /** The hash the store knows for a hash the client sends. */
  resolve(sha: string): string {
    return this.aliases.get(sha.toLowerCase()) ?? sha;
  }

  /** Rewrites script commands (EVAL/EVALSHA/…/SCRIPT LOAD|EXISTS) for the store. */
  rewrite(args: string[]): string[] {
    const name = args[0]!.toUpperCase();
    if ((name === "EVAL" || name === "EVAL_RO") && args.length > 1) return [args[0]!, this.prepare(args[1]!), ...args.slice(2)];
    if ((name === "EVALSHA" || name === "EVALSHA_RO") && args.length > 1) return [args[0]!, this.resolve(args[1]!), ...args.slice(2)];
    if (name === "SCRIPT" && args.length > 2) {
      const sub = args[1]!.toUpperCase();
      if (sub === "LOAD") return [args[0]!, args[1]!, this.prepare(args[2]!)];
      if (sub === "EXISTS") return [args[0]!, args[1]!, ...args.slice(2).map((s) => this.resolve(s))];
    }
    return args;
  }

  /** SCRIPT LOAD answers the hash the client expects: that of the script it sent. */
  static loadAnswer(args: string[]): string | undefined {
    return args[0]!.toUpperCase() === "SCRIPT" && args[1]?.toUpperCase() === "LOAD" && args[2] !== undefined ? sha1(args[2]) : undefined;
  }
}
