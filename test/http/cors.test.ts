// CORS is off by default (server-to-server callers need none) and, with CORS_ORIGINS, answers the
// front end's preflights without authentication and exposes X-Request-Id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { startWorker, type RunningWorker } from "../../dev/worker.js";
import { apiUrl } from "../support/api.js";
import { bearer, createTenant, type TestTenant } from "../support/fixtures.js";

const FRONT_END = "https://app.example.test";
let listed: RunningWorker;
let anyOrigin: RunningWorker;
let tenant: TestTenant;

beforeAll(async () => {
  const vars = inject("workerVars");
  [listed, anyOrigin, tenant] = await Promise.all([
    startWorker({ vars: { ...vars, CORS_ORIGINS: `${FRONT_END}, https://admin.example.test` }, logLevel: "none" }),
    startWorker({ vars: { ...vars, CORS_ORIGINS: "*" }, logLevel: "none" }),
    createTenant(),
  ]);
});

afterAll(async () => {
  await Promise.all([listed?.stop(), anyOrigin?.stop()]);
});

const preflight = (base: string, origin: string) =>
  fetch(`${base}/v1/me`, {
    method: "OPTIONS",
    headers: { Origin: origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
  });

describe("CORS", () => {
  it("sends no CORS headers when CORS_ORIGINS is not set", async () => {
    const res = await fetch(apiUrl("/v1/me"), { headers: { Origin: FRONT_END, ...bearer(tenant.viewer.token) } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers a listed origin's preflight without credentials, allowing Authorization", async () => {
    const res = await preflight(listed.url, FRONT_END);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(FRONT_END);
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("does not allow an origin that is not listed", async () => {
    const res = await preflight(listed.url, "https://evil.example.test");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("exposes X-Request-Id on an actual request from a listed origin", async () => {
    const res = await fetch(`${listed.url}/v1/me`, { headers: { Origin: FRONT_END, ...bearer(tenant.viewer.token) } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(FRONT_END);
    expect(res.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("never allows credentials for *", async () => {
    const res = await preflight(anyOrigin.url, "https://anyone.example.test");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });
});
