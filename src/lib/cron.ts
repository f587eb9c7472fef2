// Strict validation of the 5-field cron expressions n8n schedules run on: minute, hour,
// day-of-month, month, day-of-week. Accepted per field: `*`, a value, a range `a-b` (a ≤ b), a step
// on any of these (`*/15`, `1-30/5`, `5/10`), comma lists of those, and month / weekday names
// (JAN–DEC, SUN–SAT, any case). Refused: 6-field (seconds) forms, macros (`@daily`), Quartz
// extensions (`?`, `L`, `W`, `#`) and wrap-around ranges — a schedule stored here must mean the
// same thing to every cron implementation that reads it.

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Offset of names[0] (JAN = 1, SUN = 0). */
  namesFrom?: number;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

const FIELDS: readonly CronField[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  // 7 is Sunday too, as in Vixie cron and n8n.
  { name: "day of week", min: 0, max: 7, names: WEEKDAYS, namesFrom: 0 },
];

const MAX_LENGTH = 200;

function value(token: string, field: CronField): number | string {
  if (/^\d{1,2}$/.test(token)) {
    const n = Number(token);
    return n >= field.min && n <= field.max ? n : `${field.name} value ${token} is outside ${field.min}-${field.max}`;
  }
  const index = field.names?.indexOf(token.toUpperCase() as never) ?? -1;
  if (index >= 0 && /^[a-z]{3}$/i.test(token)) return index + (field.namesFrom ?? 0);
  return `${field.name} has an invalid value "${token}"`;
}

function itemProblem(item: string, field: CronField): string | undefined {
  const [range, step, extra] = item.split("/");
  if (extra !== undefined || range === undefined || range === "") return `${field.name} has an invalid item "${item}"`;
  if (step !== undefined) {
    if (!/^\d{1,2}$/.test(step)) return `${field.name} has an invalid step "${step}"`;
    const n = Number(step);
    if (n < 1 || n > field.max - field.min + 1) return `${field.name} step ${step} is outside 1-${field.max - field.min + 1}`;
  }
  if (range === "*") return undefined;
  const bounds = range.split("-");
  if (bounds.length > 2) return `${field.name} has an invalid range "${range}"`;
  const [from, to] = bounds.map((b) => value(b, field));
  if (typeof from === "string") return from;
  if (typeof to === "string") return to;
  if (to !== undefined && from !== undefined && to < from) return `${field.name} range "${range}" runs backwards`;
  return undefined;
}

/** Why the expression is not a valid 5-field cron, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  if (expression.length > MAX_LENGTH) return `Must be at most ${MAX_LENGTH} characters`;
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length || parts[0] === "") {
    return `Must have 5 fields (minute hour day-of-month month day-of-week), got ${parts[0] === "" ? 0 : parts.length}`;
  }
  for (const [i, part] of parts.entries()) {
    const field = FIELDS[i];
    if (!field) break;
    for (const item of part.split(",")) {
      const problem = itemProblem(item, field);
      if (problem) return problem;
    }
  }
  return undefined;
}

export const isValidCron = (expression: string): boolean => cronProblem(expression) === undefined;
