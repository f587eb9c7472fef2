import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startWorker, type RunningWorker } from "../../dev/worker.js";
import { call } from "../support/api.js";

describe("GET /health", () => {
  it("answers ok without touching any dependency", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });
});

describe("GET /health/ready", () => {
  it("reports the database ok through the SQL-over-HTTP driver, and Redis ok through the Upstash endpoint", async () => {
    const res = await call("/health/ready");
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
    expect(res.body.checks.config).toEqual({ status: "ok" });
    expect(res.body.checks.database.status).toBe("ok");
    expect(res.body.checks.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(res.body.checks.redis.status).toBe("ok");
    expect(res.body.checks.redis.latencyMs).toBeGreaterThanOrEqual(0);
  });
});

describe("a Worker whose dependencies or configuration are broken", () => {
  let deadDatabase: RunningWorker;
  let misconfigured: RunningWorker;

  beforeAll(async () => {
    [deadDatabase, misconfigured] = await Promise.all([
      // Port 9 (discard) on loopback: nothing listens, the driver's fetch fails at once.
      startWorker({ vars: { ...inject("workerVars"), NEON_HTTP_ENDPOINT: "http://127.0.0.1:9/sql" }, logLevel: "none" }),
      startWorker({ vars: { NEON_HTTP_ENDPOINT: "not a url", META_API_RATE_LIMIT: "lots" }, logLevel: "none" }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([deadDatabase?.stop(), misconfigured?.stop()]);
  });

  it("reports down with 503 when the database is unreachable", async () => {
    const res = await fetch(`${deadDatabase.url}/health/ready`);
    const body = (await res.json()) as any;
    expect(res.status).toBe(503);
    expect(body.status).toBe("down");
    expect(body.checks.database.status).toBe("error");
    expect(body.checks.database.error).toMatch(/unreachable/);
  });

  it("names every missing or malformed setting in readiness, and still answers liveness", async () => {
    const live = await fetch(`${misconfigured.url}/health`);
    expect(live.status).toBe(200);
    const res = await fetch(`${misconfigured.url}/health/ready`);
    const body = (await res.json()) as any;
    expect(res.status).toBe(503);
    expect(body.checks.config.status).toBe("error");
    expect(body.checks.config.error).toContain("DATABASE_URL is required");
    expect(body.checks.config.error).toContain("NEON_HTTP_ENDPOINT must be an http(s) URL");
    expect(body.checks.config.error).toContain("META_API_RATE_LIMIT must be a whole number");
    expect(body.checks.config.error).toContain("AUTHORIZER_URL is required");
    expect(body.checks.database.status).toBe("skipped");
  });
});
