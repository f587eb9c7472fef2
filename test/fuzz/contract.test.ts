// Property-based fuzzing driven by the served OpenAPI document: for every operation, random valid
// and invalid path/query parameters and bodies (from the request schema and mutations of it,
// other content types, malformed and oversized JSON, unicode, huge numbers, deep nesting), sent
// with credentials that pass the guard (an ADMIN of a fresh tenant, a SUPER_ADMIN for
// SUPER_ADMIN-only routes, or an API key with every scope for routes keys may call). Properties:
// never a 5xx; every 4xx is the error envelope and a documented status; every 2xx is documented
// and its body matches the documented schema. FUZZ_RUNS sets the cases per operation (CI: 20;
// `npm run fuzz`: more).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY_SCOPES } from "../../src/auth/policy.js";
import { apiUrl, call } from "../support/api.js";
import { bearer, createApiKey, createTenant, createUser, type TestTenant, type TestUser } from "../support/fixtures.js";
import { PUBLIC_ROUTES, SECURED_ROUTES, SIGNED_ROUTES } from "../security/registry.js";
import { paramValue, rawBody, responseValidator, type OpenApiDoc, type Operation, type Parameter } from "./contract.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

const doc = (await call("/openapi.json")).body as OpenApiDoc;
const checkSchema = responseValidator(doc);

interface Case {
  params: Record<string, string | null>;
  query: [string, string][];
  body: { body: string; contentType: string | null; note: string } | null;
  useKey: boolean;
}

let tenant: TestTenant;
let root: TestUser;
let allScopesKey: string;
let cases = 0;

beforeAll(async () => {
  [tenant, root] = await Promise.all([createTenant(), createUser({ clientId: null, role: "SUPER_ADMIN" })]);
  allScopesKey = (await createApiKey(tenant.clientId, [...API_KEY_SCOPES])).key;
});

afterAll(() => {
  console.info(`contract fuzzing: ${cases} requests (${RUNS} cases per operation, 10 for public ones; the credential is drawn per case)`);
});

const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  METHODS.filter((m) => ops[m]).map((m) => ({ path, method: m.toUpperCase(), op: ops[m] as Operation })),
);

/** The path parameters of a registry request for this template (e.g. an id the tenant owns). */
function realParams(template: string, actual: string): Record<string, string> {
  const names: string[] = [];
  const re = new RegExp(
    `^${template.replace(/\{(\w+)\}/g, (_, n) => {
      names.push(n);
      return "([^/?]+)";
    })}(?:\\?|$)`,
  );
  const m = actual.match(re);
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m?.[i + 1] ?? "")]));
}

/** Percent-encodes a path segment's UTF-8 bytes (lone surrogates become U+FFFD, as a client's would). */
function encodeSegment(value: string): string {
  return [...new TextEncoder().encode(value)]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");
}

function caseArbitrary(op: Operation, real: Record<string, string>, keyAllowed: boolean): fc.Arbitrary<Case> {
  const params = (op.parameters ?? []) as Parameter[];
  const pathParams = params.filter((p) => p.in === "path");
  const queryParams = params.filter((p) => p.in === "query");
  const pathArb: Record<string, fc.Arbitrary<string | null>> = {};
  for (const p of pathParams) {
    pathArb[p.name] = fc.oneof(
      // Mostly an object the tenant owns (so the handler runs), else anything.
      { weight: 2, arbitrary: fc.constant(real[p.name] ?? null) },
      { weight: 2, arbitrary: paramValue(doc, p.schema) },
    );
  }
  const queryArb = fc
    .tuple(
      ...queryParams.map((p) =>
        fc.option(
          paramValue(doc, p.schema).map((v): [string, string] => [p.name, v]),
          { nil: undefined, freq: 2 },
        ),
      ),
      fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 20 })), { nil: undefined, freq: 3 }),
    )
    .map((pairs) => pairs.filter((p): p is [string, string] => p !== undefined));
  const schema = op.requestBody?.content?.["application/json"]?.schema;
  return fc.record({
    params: fc.record(pathArb),
    query: queryArb,
    body: schema ? rawBody(doc, schema) : fc.constant(null),
    useKey: keyAllowed ? fc.boolean() : fc.constant(false),
  });
}

function check(method: string, path: string, op: Operation, status: number, body: any, text: string): void {
  const where = `${method} ${path} → ${status} ${text.slice(0, 400)}`;
  if (!(path.startsWith("/health/ready") && status === 503)) expect(status, `no 5xx: ${where}`).toBeLessThan(500);
  // A route matched but a parameter made the path another (unknown) one is a plain 404, still enveloped.
  const documented = Object.keys(op.responses).includes(String(status)) || status === 404 || status === 405;
  expect(documented, `documented status: ${where}`).toBe(true);
  if (status >= 400) {
    if (path.startsWith("/health/ready") && status === 503) {
      // Not ready (e.g. the database slow on a loaded machine) is a documented report, not an error.
      expect(checkSchema(op.responses["503"]!.content!["application/json"]!.schema, body), `documented 503: ${where}`).toBeNull();
      return;
    }
    const e = body?.error;
    expect(
      typeof e?.code === "string" && typeof e?.message === "string" && typeof e?.requestId === "string",
      `error envelope: ${where}`,
    ).toBe(true);
    return;
  }
  const schema = op.responses[String(status)]?.content?.["application/json"]?.schema;
  if (schema && path !== "/docs") {
    const problem = checkSchema(schema, body);
    expect(problem, `documented response schema: ${where}`).toBeNull();
  }
}

describe("every operation, fuzzed from the OpenAPI document", () => {
  it("documents at least the registered operations", () => {
    expect(operations.length).toBeGreaterThanOrEqual(SECURED_ROUTES.length + SIGNED_ROUTES.length);
  });

  for (const { path, method, op } of operations) {
    if (path === "/docs") continue; // HTML; rendered in test/browser.
    const secured = SECURED_ROUTES.find((r) => r.method === method && r.path === path);
    const isPublic = PUBLIC_ROUTES.includes(`${method} ${path}`);
    it.concurrent(`${method} ${path}`, { timeout: 60_000 + RUNS * 3_000 }, async () => {
      const real = secured ? realParams(path, (await secured.request(tenant)).path) : {};
      const person = secured?.role === "SUPER_ADMIN" ? root : tenant.admin;
      const keyAllowed = Boolean(secured?.scope);
      await fc.assert(
        fc.asyncProperty(caseArbitrary(op, real, keyAllowed), async (c) => {
          cases++;
          const url = new URL(apiUrl(path.replace(/\{(\w+)\}/g, (_, n: string) => encodeSegment(c.params[n] ?? "missing"))));
          for (const [k, v] of c.query) url.searchParams.append(k, v);
          const headers: Record<string, string> = {};
          if (secured) Object.assign(headers, bearer(c.useKey ? allScopesKey : person.token));
          if (c.body?.contentType) headers["content-type"] = c.body.contentType;
          const send = () => fetch(url, { method, headers, ...(c.body ? { body: c.body.body } : {}) });
          let res = await send();
          // A dependency that was slow once (the machine is shared) is not what is under test: a
          // 503 is sent again once, and a second one fails. /health/ready documents 503 (not ready).
          if (res.status === 503 && path !== "/health/ready") {
            await res.body?.cancel();
            res = await send();
          }
          const text = await res.text();
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          check(
            method,
            `${path} [${url.pathname}${url.search.slice(0, 200)}]${c.body ? ` body(${c.body.note}): ${c.body.body.slice(0, 300)}` : ""}`,
            op,
            res.status,
            body,
            text,
          );
        }),
        { numRuns: isPublic ? Math.min(RUNS, 10) : RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
      );
    });
  }
});
