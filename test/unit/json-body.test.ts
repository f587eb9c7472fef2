// The body guard on its own, in a minimal app (the HTTP suites cover it again on real routes).
import { Hono } from "hono";
import { validator } from "hono/validator";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/http/context.js";
import { jsonBody } from "../../src/http/json-body.js";
import { onError } from "../../src/http/on-error.js";
import { requestContext } from "../../src/http/request-context.js";

function appWithGuard() {
  const app = new Hono<AppEnv>();
  app.use("*", requestContext);
  app.use("*", jsonBody([{ prefix: "/big/", maxBytes: 64 }]));
  app.post(
    "/small",
    validator("json", (v) => v),
    async (c) => c.json({ received: c.req.valid("json"), raw: await c.req.text() }),
  );
  app.post("/big/x", async (c) => c.json({ length: (await c.req.text()).length }));
  app.onError(onError);
  return app;
}

const post = (path: string, body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) =>
  appWithGuard().request(path, {
    method: "POST",
    body,
    headers,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);

describe("JSON body guard", () => {
  it("passes a JSON body through, with the exact raw text still readable", async () => {
    const raw = '{"a": 1,  "b":[true]}';
    const res = await post("/small", raw);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: { a: 1, b: [true] }, raw });
  });

  it("accepts application/json with a charset and +json media types", async () => {
    expect((await post("/small", "{}", { "content-type": "application/json; charset=utf-8" })).status).toBe(200);
    expect((await post("/small", "{}", { "content-type": "application/merge-patch+json" })).status).toBe(200);
  });

  it("answers 415 to a body that is not JSON", async () => {
    const res = await post("/small", "a=1", { "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).error.code).toBe("unsupported_media_type");
  });

  it("answers 400 to malformed JSON (from the route's validator)", async () => {
    const res = await post("/small", '{"a":');
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe("invalid_request");
  });

  it("answers 413 from Content-Length alone, before reading the body", async () => {
    const res = await post("/small", JSON.stringify({ pad: "x".repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe("payload_too_large");
  });

  it("answers 413 to a streamed body without Content-Length once it passes the limit", async () => {
    const chunk = new TextEncoder().encode("x".repeat(40));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"p":"'));
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
      },
    });
    const res = await post("/big/x", stream);
    expect(res.status).toBe(413);
  });

  it("applies a path's own limit where one is configured, and the default elsewhere", async () => {
    const body = JSON.stringify({ p: "x".repeat(100) });
    expect((await post("/big/x", body)).status).toBe(413);
    expect((await post("/small", body)).status).toBe(200);
  });

  it("answers 400 to a body that is not UTF-8", async () => {
    const res = await post("/small", new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expect(res.status).toBe(400);
  });
});
