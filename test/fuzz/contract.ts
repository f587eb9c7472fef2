// Fuzzing from the contract: fast-check arbitraries built from the served OpenAPI document's JSON
// schemas (valid values), mutations of them (invalid values), hostile raw bodies, and a validator
// for documented response schemas. Used by contract.test.ts; `npm run fuzz` runs it with more cases.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import fc from "fast-check";

// ajv-formats is CommonJS: its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

export type Schema = Record<string, any>;
export type OpenApiDoc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema?: Schema;
}
export interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  security?: unknown[];
}

const DOC_ID = "https://contract.local/openapi.json";

/** Validates response bodies against the document's schemas (JSON Schema 2020-12, the 3.1 dialect). */
export function responseValidator(doc: OpenApiDoc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: DOC_ID, components: doc.components });
  const cache = new Map<string, ReturnType<typeof ajv.compile>>();
  return (schema: Schema, body: unknown): string | null => {
    const text = JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`);
    let validate = cache.get(text);
    if (!validate) {
      validate = ajv.compile(JSON.parse(text));
      cache.set(text, validate);
    }
    return validate(body) ? null : ajv.errorsText(validate.errors, { separator: "; " });
  };
}

export function resolve(doc: OpenApiDoc, schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 20 && typeof s?.$ref === "string"; i++) {
    s = doc.components.schemas[s.$ref.replace("#/components/schemas/", "")] ?? {};
  }
  return s;
}

/** Strings that have broken parsers, databases and loggers before. */
const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "'; drop table users; --",
  '" or 1=1 --',
  "%00",
  "../../etc/passwd",
  "${jndi:ldap://x}",
  "<script>alert(1)</script>",
  "\ud800",
  "\udfff\ud800",
  "😀".repeat(50),
  "\u202e\u200b\ufeff",
  "ǅǈǋ İı ß ﬀ",
  "null",
  "true",
  "-0",
  "1e309",
  "NaN",
  "9".repeat(400),
  "x".repeat(5000),
  "2026-02-30T25:61:61Z",
  "0000-00-00",
  "act_",
  "act_" + "9".repeat(40),
  "* * * * * *",
  "Mars/Olympus",
];

const HUGE_NUMBERS = [
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 63,
  1e-320,
  -0,
  0.5,
];

export const hostileString = () =>
  fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 40 }),
  );
const hugeNumber = () => fc.constantFrom(...HUGE_NUMBERS);

/** Any JSON value, including deep nesting. */
export const anyJson = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: hostileString() },
    { weight: 1, arbitrary: hugeNumber() },
    { weight: 1, arbitrary: fc.integer({ min: 20, max: 2000 }).map((depth) => deepNest(depth)) },
  );

function deepNest(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

function stringArbitrary(s: Schema): fc.Arbitrary<string> {
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as string[]));
  const min = s.minLength ?? 0;
  const max = Math.max(min, Math.min(s.maxLength ?? 30, 60));
  switch (s.format) {
    case "date-time":
      return fc
        .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2090-01-01T00:00:00Z"), noInvalidDate: true })
        .map((d) => d.toISOString());
    case "date":
      return fc
        .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2090-01-01T00:00:00Z"), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case "email":
      return fc.emailAddress();
    case "uri":
    case "url":
      return fc.webUrl();
  }
  if (typeof s.pattern === "string") {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity));
    } catch {
      // A pattern fast-check cannot generate from (e.g. lookaheads): plain strings, mostly refused.
    }
  }
  return fc.string({ minLength: min, maxLength: max });
}

/** Values the schema accepts (best effort: cross-field rules such as start < end are not modelled). */
export function valid(doc: OpenApiDoc, schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema ?? {});
  if (depth > 6) return fc.constant(null);
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (Array.isArray(alternatives) && alternatives.length) return fc.oneof(...alternatives.map((a: Schema) => valid(doc, a, depth + 1)));
  if (Array.isArray(s.allOf) && s.allOf.length)
    return valid(doc, Object.assign({}, ...s.allOf.map((a: Schema) => resolve(doc, a))), depth + 1);
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((t) => valid(doc, { ...s, type: t }, depth + 1)));
  switch (types[0]) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer": {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1_000_000);
      return fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
    }
    case "number":
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case "string":
      return stringArbitrary(s);
    case "array":
      return fc.array(valid(doc, s.items, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 6) });
    case "object":
    default: {
      if (!s.properties && !types.length) return anyJson();
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const required = new Set<string>(s.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) record[k] = valid(doc, v, depth + 1);
      return fc.record(record, { requiredKeys: [...required].filter((k) => k in props) });
    }
  }
}

/** A value the schema accepts, then broken in one way (or several). */
export function mutated(doc: OpenApiDoc, schema: Schema | undefined): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema ?? {});
  const base = valid(doc, s);
  const props = Object.keys(s.properties ?? {});
  const objectMutations: fc.Arbitrary<unknown>[] = [];
  if (props.length) {
    // Each documented field replaced by something of another type, a hostile string or a huge number.
    objectMutations.push(
      fc.tuple(base, fc.constantFrom(...props), anyJson()).map(([v, k, bad]) => ({ ...(v as object), [k]: bad })),
      fc.tuple(base, fc.constantFrom(...props)).map(([v, k]) => {
        const copy = { ...(v as Record<string, unknown>) };
        delete copy[k];
        return copy;
      }),
      fc.tuple(base, fc.string({ minLength: 1, maxLength: 12 }), anyJson()).map(([v, k, extra]) => ({ ...(v as object), [k]: extra })),
      fc.tuple(base, fc.constantFrom(...props)).map(([v, k]) => ({ ...(v as object), [k]: null })),
      fc
        .tuple(base, fc.constantFrom("__proto__", "constructor", "prototype"))
        .map(([v, k]) => JSON.parse(JSON.stringify(v).replace(/^\{/, `{"${k}":{"polluted":true},`).replace(/,\}$/, "}"))),
    );
  }
  return fc.oneof(
    { weight: 6, arbitrary: objectMutations.length ? fc.oneof(...objectMutations) : anyJson() },
    { weight: 2, arbitrary: anyJson() },
    { weight: 1, arbitrary: fc.array(base, { maxLength: 3 }) },
  );
}

/** A raw request body: valid JSON of a (mutated) value, or bytes that are not what they claim. */
export function rawBody(
  doc: OpenApiDoc,
  schema: Schema | undefined,
): fc.Arbitrary<{ body: string; contentType: string | null; note: string }> {
  const json = (v: unknown) => JSON.stringify(v) ?? "null";
  const contentTypes = fc.constantFrom<string | null>(
    "application/json",
    "application/json; charset=utf-8",
    "application/vnd.api+json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    null,
    "application/json; charset=latin1",
    "APPLICATION/JSON",
  );
  return fc.oneof(
    { weight: 5, arbitrary: valid(doc, schema).map((v) => ({ body: json(v), contentType: "application/json", note: "valid" })) },
    { weight: 6, arbitrary: mutated(doc, schema).map((v) => ({ body: json(v), contentType: "application/json", note: "mutated" })) },
    {
      weight: 2,
      arbitrary: fc.tuple(valid(doc, schema), contentTypes).map(([v, ct]) => ({ body: json(v), contentType: ct, note: "content-type" })),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          "{",
          '{"a":',
          "[1,2",
          '"unterminated',
          "{'a':1}",
          '{"a":1}{',
          "\u0000",
          "\uFEFF{}",
          '{"a":NaN}',
          "[".repeat(5000) + "]".repeat(5000),
          '{"a":'.repeat(3000) + "1" + "}".repeat(3000),
          "",
        )
        .map((b) => ({ body: b, contentType: "application/json", note: "malformed" })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 900_000, max: 1_300_000 })
        .map((n) => ({ body: json({ name: "x".repeat(n) }), contentType: "application/json", note: "large" })),
    },
  );
}

/** A path or query parameter value: valid for its schema, or a hostile string. */
export function paramValue(doc: OpenApiDoc, schema: Schema | undefined): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: valid(doc, schema).map((v) => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""))) },
    { weight: 2, arbitrary: hostileString() },
    { weight: 1, arbitrary: hugeNumber().map(String) },
  );
}
