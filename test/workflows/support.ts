// Untyped requests for the malformed-input cases the typed client cannot express.
import { call } from "../support/api.js";
import { bearer } from "../support/fixtures.js";

export function send(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, token: string, body?: unknown) {
  return call(path, {
    method,
    headers: { ...bearer(token), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

export const detailPaths = (body: any): string[] => (body?.error?.details ?? []).map((d: { path: string }) => d.path);
