import { describe, expect, it } from "vitest";
import { call, expectEnvelope } from "../support/api.js";

describe("request ids", () => {
  it("echoes a caller's well-formed X-Request-Id", async () => {
    const res = await call("/health", { headers: { "X-Request-Id": "n8n-exec-231.retry:2" } });
    expect(res.headers.get("x-request-id")).toBe("n8n-exec-231.retry:2");
  });

  it("replaces an id that could forge log lines with a new one", async () => {
    const res = await call("/health", { headers: { "X-Request-Id": 'evil" {"level":"info","msg":"forged"}' } });
    expect(res.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it("puts the response's request id in error envelopes", async () => {
    const res = await call("/no/such/route");
    expectEnvelope(res.body, "not_found");
    expect(res.body.error.requestId).toBe(res.headers.get("x-request-id"));
  });
});

describe("unknown routes and methods", () => {
  it("answers 404 not_found in the envelope for an unknown path", async () => {
    const res = await call("/v1/nothing-here");
    expect(res.status).toBe(404);
    expectEnvelope(res.body, "not_found");
  });

  it("answers 405 with Allow for a known path asked with another method", async () => {
    const res = await call("/health", { method: "DELETE" });
    expect(res.status).toBe(405);
    expectEnvelope(res.body, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answers 405, not 415, to a non-JSON body sent to a GET-only path", async () => {
    const res = await call("/health", { method: "POST", body: "hello", headers: { "content-type": "text/plain" } });
    expect(res.status).toBe(405);
  });
});

describe("API documentation", () => {
  it("serves an OpenAPI 3.1 document generated from the routes", async () => {
    const res = await call("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(["/health", "/health/ready"]));
    expect(res.body.components.schemas.Error).toBeDefined();
    expect(res.body.paths["/health/ready"].get.responses["503"].content["application/json"].example.status).toBe("down");
  });

  it("serves an interactive page whose script comes from this service, not a CDN", async () => {
    const page = await call("/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const scripts = [...page.text.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect(src.startsWith("/")).toBe(true);
    expect(page.text).not.toMatch(/https?:\/\/(cdn|fonts)\./);
    const script = await call(scripts[0]!);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(script.text).toContain("createApiReference");
  });
});
