import { describe, expect, it } from "vitest";
import { cronProblem, isValidCron } from "../../src/lib/cron.js";

describe("5-field cron validation", () => {
  it.each([
    "* * * * *",
    "0 9 * * 1",
    "0 9 * * MON",
    "0 9 * * mon-fri",
    "*/15 * * * *",
    "0 */2 * * *",
    "0,15,30,45 8-18 * * 1-5",
    "5/10 * * * *",
    "0 0 1 JAN,jul *",
    "0 0 1-15/3 * *",
    "59 23 31 12 7",
    "0 0 * * 0",
    "  0   9 *\t* 1  ",
    "0 0 * FEB-DEC/2 SUN,SAT",
  ])("accepts %j", (expression) => {
    expect(cronProblem(expression)).toBeUndefined();
    expect(isValidCron(expression)).toBe(true);
  });

  it.each([
    ["", /5 fields/],
    ["   ", /5 fields/],
    ["* * * *", /5 fields.*got 4/],
    ["0 0 9 * * 1", /5 fields.*got 6/],
    ["@daily", /5 fields/],
    ["every monday", /5 fields/],
    ["60 * * * *", /minute value 60 is outside 0-59/],
    ["* 24 * * *", /hour value 24/],
    ["* * 0 * *", /day of month value 0/],
    ["* * 32 * *", /day of month value 32/],
    ["* * * 13 *", /month value 13/],
    ["* * * 0 *", /month value 0/],
    ["* * * * 8", /day of week value 8/],
    ["*/0 * * * *", /step 0/],
    ["*/61 * * * *", /step 61/],
    ["*/x * * * *", /invalid step/],
    ["1/2/3 * * * *", /invalid item/],
    ["5-1 * * * *", /runs backwards/],
    ["* * * * FRI-MON", /runs backwards/],
    ["1-2-3 * * * *", /invalid range/],
    ["-5 * * * *", /invalid value/],
    ["1,,2 * * * *", /invalid item/],
    ["1, * * * *", /invalid item/],
    ["MON * * * *", /minute has an invalid value "MON"/],
    ["* * * * MONDAY", /invalid value "MONDAY"/],
    ["* * * JANUARY *", /invalid value/],
    ["* * ? * *", /invalid value "\?"/],
    ["* * L * *", /invalid value "L"/],
    ["* * 15W * *", /invalid value "15W"/],
    ["* * * * 5#3", /invalid value "5#3"/],
    ["1.5 * * * *", /invalid value/],
    ["+1 * * * *", /invalid value/],
    ["001 * * * *", /invalid value/],
    ["*/ * * * *", /invalid step/],
  ])("refuses %j", (expression, message) => {
    expect(cronProblem(expression)).toMatch(message);
    expect(isValidCron(expression)).toBe(false);
  });

  it("refuses absurdly long input without scanning it", () => {
    expect(cronProblem(`${"1,".repeat(200)}1 * * * *`)).toMatch(/at most 200/);
  });
});
