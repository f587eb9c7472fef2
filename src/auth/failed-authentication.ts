// Every refused authentication (401/403 from authenticate) is reported here, once per request, and
// nowhere else. Today it records the refusal on the request's log line. This is the seam for
// limiting failed authentications per client address (CF-Connecting-IP) with the Upstash limiter,
// which arrives with the quota work: a flood of random API keys or forged tokens then costs the
// attacker a 429 instead of a database lookup per attempt.
import type { AppContext } from "../http/context.js";
import type { AuthOutcome } from "./authenticate.js";

export async function reportFailedAuthentication(c: AppContext, outcome: Extract<AuthOutcome, { ok: false }>): Promise<void> {
  c.get("log").set({ auth: { refused: outcome.status } });
}
