import { describe, expect, it } from "vitest";
import { call } from "../support/api.js";
import { PUBLIC_ROUTES, SECURED_ROUTES, SIGNED_ROUTES } from "./registry.js";

describe("security suite coverage", () => {
  it("has every route of the OpenAPI document registered (secured, signed or public)", async () => {
    const doc = await call("/openapi.json");
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const registered = new Set([...PUBLIC_ROUTES, ...SIGNED_ROUTES, ...SECURED_ROUTES.map((r) => `${r.method} ${r.path}`)]);
    expect(documented.filter((r) => !registered.has(r))).toEqual([]);
  });

  it("documents bearer security on every secured route", async () => {
    const doc = await call("/openapi.json");
    for (const route of SECURED_ROUTES) {
      const op = doc.body.paths[route.path][route.method.toLowerCase()];
      expect(op.security, `${route.method} ${route.path}`).toEqual([{ bearer: [] }]);
    }
  });
});
