// The served document must be valid OpenAPI 3.1 (clients and the front end generate code from it),
// and every operation must show its error envelope and an example for what it returns.
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import { TAGS } from "../../src/http/tags.js";
import { call } from "../support/api.js";

// Fetched once: validating the whole document blocks the test process for seconds, long enough for
// the server to drop an idle keep-alive socket a later fetch would reuse.
let served: any;
beforeAll(async () => {
  served = (await call("/openapi.json")).body;
});

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = served;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("documents the error envelope on every operation, and an example or schema example for each success", async () => {
    const doc = served;
    const schemas = doc.components.schemas as Record<string, { example?: unknown }>;
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      if (path === "/openapi.json" || path === "/docs") continue;
      for (const [method, op] of Object.entries(ops)) {
        const statuses = Object.keys(op.responses);
        expect(statuses.some((s) => Number(s) >= 400) || path === "/health", `${method} ${path} errors`).toBe(true);
        for (const status of statuses.filter((s) => Number(s) < 300)) {
          const media = op.responses[status].content["application/json"];
          const ref = JSON.stringify(media.schema).match(/#\/components\/schemas\/(\w+)/g) ?? [];
          const documented = media.example !== undefined || ref.some((r: string) => schemas[r.split("/").pop()!]?.example !== undefined);
          expect(documented, `${method.toUpperCase()} ${path} ${status} has an example`).toBe(true);
        }
      }
    }
  });

  it("lists every operation's tags among the documented tags, each described", async () => {
    const doc = served;
    const documented = new Set((doc.tags as { name: string; description?: string }[]).map((t) => t.name));
    expect([...documented]).toEqual(TAGS.map((t) => t.name));
    for (const tag of doc.tags) expect(tag.description, tag.name).toBeTruthy();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { tags?: string[] }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        if (path === "/docs" || path === "/openapi.json") continue;
        expect(op.tags?.length, `${method.toUpperCase()} ${path} has a tag`).toBeGreaterThan(0);
        for (const tag of op.tags ?? [])
          expect(documented.has(tag), `${method.toUpperCase()} ${path}: tag "${tag}" is not documented`).toBe(true);
      }
    }
  });
});
