// Meta's signals → utilization and blocks (pure).
import { describe, expect, it } from "vitest";
import { MalformedHeaderError, metaSignals, throttleScope, useCaseOf } from "../../src/quota/meta.js";

const opts = { metaAdAccountId: "act_123", threshold: 90, defaultBlockSeconds: 300 };

describe("metaSignals", () => {
  it("takes the highest percentage over every header", () => {
    const s = metaSignals(
      {
        headers: {
          "x-app-usage": '{"call_count":28,"total_time":45,"total_cputime":25}',
          "x-ad-account-usage": '{"acc_id_util_pct":"9.67","reset_time_duration":100}',
          "x-fb-ads-insights-throttle": '{"app_id_util_pct":60,"acc_id_util_pct":10}',
          "x-business-use-case-usage": '{"123":[{"type":"ads_insights","call_count":3,"total_cputime":81,"total_time":5}]}',
        },
      },
      opts,
    );
    expect(s).toEqual({ utilization: 81, blocks: [] });
  });

  it("blocks at the threshold with Meta's estimates, else the default", () => {
    const s = metaSignals(
      {
        headers: {
          "x-ad-account-usage": '{"acc_id_util_pct":90,"reset_time_duration":100}',
          "x-business-use-case-usage": '{"123":[{"type":"leadgen","call_count":1,"estimated_time_to_regain_access":2}]}',
          "x-fb-ads-insights-throttle": '{"app_id_util_pct":100,"acc_id_util_pct":10}',
          "x-app-usage": '{"call_count":95}',
        },
      },
      opts,
    );
    expect(s.blocks.map((b) => [b.scope, b.seconds])).toEqual([
      ["other", 120],
      ["account", 100],
      ["account", 300],
      ["ads_insights", 300],
    ]);
    expect(s.utilization).toBe(100);
  });

  it("reads only this account's business use case entries when it is named", () => {
    const s = metaSignals(
      { headers: { "x-business-use-case-usage": '{"999":[{"type":"ads_management","call_count":100}],"123":[]}' } },
      opts,
    );
    expect(s).toEqual({ utilization: null, blocks: [] });
  });

  it("an error's block is at least the default, longer when a header of the same scope says so", () => {
    const s = metaSignals(
      {
        headers: { "x-business-use-case-usage": '{"123":[{"type":"ads_insights","call_count":100,"estimated_time_to_regain_access":30}]}' },
        error: { code: 80000, error_subcode: 2446079 },
      },
      opts,
    );
    expect(s.blocks.at(-1)).toEqual({ scope: "ads_insights", seconds: 1800, reason: "error 80000/2446079" });
  });

  it("names the malformed header", () => {
    expect(() => metaSignals({ headers: { "x-app-usage": "nope" } }, opts)).toThrow(MalformedHeaderError);
    expect(() => metaSignals({ headers: { "x-ad-account-usage": '{"acc_id_util_pct":-1}' } }, opts)).toThrow(/x-ad-account-usage/);
  });
});

it("maps throttle codes and use cases", () => {
  expect([4, 17, 32, 613].map(throttleScope)).toEqual(["account", "account", "account", "account"]);
  expect([80000, 80003, 80004, 80001, 80014, 80007].map(throttleScope)).toEqual([
    "ads_insights",
    "custom_audience",
    "ads_management",
    "other",
    "other",
    "other",
  ]);
  expect([100, 190, 79999, 80015].map(throttleScope)).toEqual([null, null, null, null]);
  expect(useCaseOf("instagram")).toBe("other");
});
