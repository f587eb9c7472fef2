// HTTP access to the Worker started by the global setup.
import { inject } from "vitest";

export function apiUrl(path: string): string {
  return new URL(path, inject("apiUrl")).toString();
}

export async function call(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const res = await fetch(apiUrl(path), init);
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** Asserts the shape every error response must have. */
export function expectEnvelope(body: any, code: string): void {
  if (!body?.error || body.error.code !== code || typeof body.error.message !== "string" || typeof body.error.requestId !== "string") {
    throw new Error(`expected an error envelope with code ${code}, got ${JSON.stringify(body)}`);
  }
}
