// The typed client (hono/client) over the app's own type: request and response shapes come from the
// route definitions, so a test that sends a wrong body or reads a missing field fails to compile.
import { hc } from "hono/client";
import { inject } from "vitest";
import type { AppType } from "../../src/index.js";

/** Typed client for the Worker the global setup started. Pass credentials per call: `{ headers: bearer(token) }`. */
export const api = hc<AppType>(inject("apiUrl"));
