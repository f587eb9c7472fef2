// The JSON body guard on a real route of the real Worker (the unit test covers its edge cases).
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectEnvelope } from "../support/api.js";
import { bearer, createTenant, type TestTenant } from "../support/fixtures.js";

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await createTenant();
});

const post = (body: BodyInit, contentType: string) =>
  call("/v1/api-keys", { method: "POST", headers: { ...bearer(tenant.admin.token), "content-type": contentType }, body });

describe("request bodies on POST /v1/api-keys", () => {
  it("answers 415 to a form body", async () => {
    const res = await post("name=x&scopes=quota:use", "application/x-www-form-urlencoded");
    expect(res.status).toBe(415);
    expectEnvelope(res.body, "unsupported_media_type");
  });

  it("answers 400 to malformed JSON", async () => {
    const res = await post('{"name": "x", "scopes": [', "application/json");
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
  });

  it("answers 413 to a body over 1 MiB", async () => {
    const res = await post(JSON.stringify({ name: "x".repeat(1024 * 1024 + 10), scopes: ["quota:use"] }), "application/json");
    expect(res.status).toBe(413);
    expectEnvelope(res.body, "payload_too_large");
  });

  it("answers 400 with details to a JSON body that breaks the schema", async () => {
    const res = await post(JSON.stringify([1, 2, 3]), "application/json");
    expect(res.status).toBe(400);
    expect(res.body.error.details.length).toBeGreaterThan(0);
  });

  it("checks the credential before the body (no schema hints for strangers)", async () => {
    const res = await call("/v1/api-keys", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(401);
  });
});
