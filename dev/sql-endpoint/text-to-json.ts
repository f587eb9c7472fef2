// Neon-Raw-Text-Output absent/false: Neon's proxy converts some text values to JSON types
// (booleans, 2- and 4-byte integers, finite floats, json/jsonb) and arrays to JSON arrays.
// Everything else (int8, numeric, dates, text, ...) stays a string. The official client always
// asks for raw text, so this path only serves hand-written requests (curl, other tools).
// Limitation: only built-in array types are recognised (an enum[] column stays array text).

const BOOL = 16;
const INT2 = 21;
const INT4 = 23;
const FLOAT4 = 700;
const FLOAT8 = 701;
const JSON_OID = 114;
const JSONB = 3802;

// Built-in array type id -> element type id (pg_type.typarray for the common scalar types).
const ARRAY_ELEMENT: Record<number, number> = {
  1000: BOOL,
  1001: 17,
  1002: 18,
  1003: 19,
  1005: INT2,
  1007: INT4,
  1009: 25,
  1014: 1042,
  1015: 1043,
  1016: 20,
  1021: FLOAT4,
  1022: FLOAT8,
  1028: 26,
  1115: 1114,
  1182: 1082,
  1183: 1083,
  1185: 1184,
  1187: 1186,
  1231: 1700,
  199: JSON_OID,
  3807: JSONB,
  2951: 2950,
};

export function textToJson(text: string, typeId: number): unknown {
  const element = ARRAY_ELEMENT[typeId];
  if (element !== undefined) return parseArray(text, element);
  switch (typeId) {
    case BOOL:
      return text === "t";
    case INT2:
    case INT4:
      return Number(text);
    case FLOAT4:
    case FLOAT8: {
      const n = Number(text);
      return Number.isFinite(n) ? n : text; // NaN/Infinity stay strings, as with Neon
    }
    case JSON_OID:
    case JSONB:
      return JSON.parse(text);
    default:
      return text;
  }
}

/** Parses Postgres array output (`{1,NULL,"a \"b\""}`, nested `{{..},{..}}`, `[0:1]={..}`). */
function parseArray(text: string, element: number): unknown[] {
  let pos = text.startsWith("[") ? text.indexOf("=") + 1 : 0; // dimension decoration is dropped

  function list(): unknown[] {
    const items: unknown[] = [];
    pos++; // "{"
    if (text[pos] === "}") {
      pos++;
      return items;
    }
    for (;;) {
      items.push(item());
      const c = text[pos++];
      if (c === "}") return items;
      if (c !== ",") throw new Error(`malformed array literal: ${text}`);
    }
  }

  function item(): unknown {
    if (text[pos] === "{") return list();
    if (text[pos] === '"') {
      let value = "";
      pos++;
      while (text[pos] !== '"') {
        if (pos >= text.length) throw new Error(`malformed array literal: ${text}`);
        if (text[pos] === "\\") pos++;
        value += text[pos++];
      }
      pos++;
      return textToJson(value, element);
    }
    const start = pos;
    while (pos < text.length && text[pos] !== "," && text[pos] !== "}") pos++;
    const raw = text.slice(start, pos);
    return raw === "NULL" ? null : textToJson(raw, element);
  }

  return list();
}
