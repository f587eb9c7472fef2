// POST …/quota/usage: Meta's usage headers and throttle errors block the account or one use case
// until Meta's estimate (or the default), every acquire meanwhile is a 429 saying when it ends.
import { beforeAll, expect, it } from "vitest";
import { expectEnvelope } from "../support/api.js";
import { createTenant, type TestTenant } from "../support/fixtures.js";
import { acquire, createAdAccount, readQuota, report } from "./support.js";

let t: TestTenant;
beforeAll(async () => {
  t = await createTenant();
});

const near = (iso: string, seconds: number) => Math.abs(Date.parse(iso) - Date.now() - seconds * 1000) < 15_000;

it("a utilization under the threshold blocks nothing and is shown by GET", async () => {
  const acct = await createAdAccount(t.clientId);
  const res = await report(t.user.token, acct.id, {
    headers: {
      "x-app-usage": '{"call_count":28,"total_time":25,"total_cputime":25}',
      "x-ad-account-usage": '{"acc_id_util_pct":9.67,"reset_time_duration":100}',
    },
  });
  expect(res.status).toBe(200);
  expect(res.body.data).toMatchObject({ utilization: 28, blockedUntil: null, blocks: [], limit: 200, remaining: 200 });
  expect((await acquire(t.user.token, acct.id)).status).toBe(200);
  expect((await readQuota(t.viewer.token, acct.id)).body.data).toMatchObject({ utilization: 28, blockedUntil: null, remaining: 199 });
});

it("x-ad-account-usage at the threshold blocks the whole account for reset_time_duration", async () => {
  const acct = await createAdAccount(t.clientId);
  const res = await report(t.user.token, acct.id, {
    headers: { "x-ad-account-usage": '{"acc_id_util_pct":93.5,"reset_time_duration":120}' },
  });
  expect(res.status).toBe(200);
  expect(res.body.data.utilization).toBe(93.5);
  expect(near(res.body.data.blockedUntil, 120)).toBe(true);
  for (const useCase of ["ads_management", "ads_insights"]) {
    const refused = await acquire(t.user.token, acct.id, { useCase });
    expect(refused.status).toBe(429);
    expectEnvelope(refused.body, "quota_exceeded");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(100);
    expect(retryAfter).toBeLessThanOrEqual(120);
    expect(refused.headers.get("ratelimit-limit")).toBe("200");
  }
  const state = await readQuota(t.viewer.token, acct.id);
  expect(state.body.data.blockedUntil).toBe(res.body.data.blockedUntil);
});

it("a business-use-case entry blocks only its type, for Meta's regain estimate", async () => {
  const acct = await createAdAccount(t.clientId);
  const own = acct.metaId.replace("act_", "");
  const buc = JSON.stringify({
    [own]: [
      { type: "ads_insights", call_count: 95, total_cputime: 20, total_time: 20, estimated_time_to_regain_access: 7 },
      { type: "ads_management", call_count: 10, total_cputime: 5, total_time: 5, estimated_time_to_regain_access: 0 },
    ],
    "999": [{ type: "ads_management", call_count: 100, estimated_time_to_regain_access: 60 }],
  });
  const res = await report(t.user.token, acct.id, { headers: { "x-business-use-case-usage": buc } });
  expect(res.status).toBe(200);
  expect(res.body.data.blocks).toHaveLength(1);
  expect(res.body.data.blocks[0]).toMatchObject({ scope: "ads_insights" });
  expect(near(res.body.data.blockedUntil, 420)).toBe(true);
  const insights = await acquire(t.user.token, acct.id, { useCase: "ads_insights" });
  expect(insights.status).toBe(429);
  expect(Number(insights.headers.get("retry-after"))).toBeGreaterThan(400);
  expect((await acquire(t.user.token, acct.id, { useCase: "ads_management" })).status).toBe(200);
});

it.each([
  [{ code: 80004, error_subcode: 2446079 }, "ads_management", "ads_insights"],
  [{ code: 80000 }, "ads_insights", "ads_management"],
  [{ code: 80003 }, "custom_audience", "ads_management"],
  [{ code: 80002 }, "other", "ads_management"],
])("throttle error %j blocks %s only, for the default 300 s", async (error, blockedCase, freeCase) => {
  const acct = await createAdAccount(t.clientId);
  const res = await report(t.user.token, acct.id, { error });
  expect(res.body.data.blocks[0].scope).toBe(blockedCase);
  expect(near(res.body.data.blockedUntil, 300)).toBe(true);
  expect((await acquire(t.user.token, acct.id, { useCase: blockedCase })).status).toBe(429);
  expect((await acquire(t.user.token, acct.id, { useCase: freeCase })).status).toBe(200);
});

it.each([4, 17, 32, 613])("throttle error %i blocks the whole account", async (code) => {
  const acct = await createAdAccount(t.clientId);
  const res = await report(t.user.token, acct.id, { error: { code, error_subcode: 1487742 } });
  expect(res.body.data.blocks).toEqual([expect.objectContaining({ scope: "account", reason: `error ${code}/1487742` })]);
  for (const useCase of ["ads_management", "custom_audience"]) {
    const refused = await acquire(t.user.token, acct.id, { useCase });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(280);
  }
});

it("an error that is not a throttle blocks nothing", async () => {
  const acct = await createAdAccount(t.clientId);
  const res = await report(t.user.token, acct.id, { error: { code: 100, error_subcode: 33 } });
  expect(res.body.data).toMatchObject({ blocks: [], blockedUntil: null });
});

it.each([
  ["x-ad-account-usage", "{not json"],
  ["x-business-use-case-usage", '{"123": "nope"}'],
  ["x-app-usage", "[1,2]"],
  ["x-fb-ads-insights-throttle", '{"app_id_util_pct": "lots"}'],
])("malformed %s is a 400 naming the header", async (header, value) => {
  const acct = await createAdAccount(t.clientId);
  const res = await report(t.user.token, acct.id, { headers: { [header]: value } });
  expect(res.status).toBe(400);
  expectEnvelope(res.body, "invalid_request");
  expect(res.body.error.message).toContain(header);
  expect(res.body.error.details[0].path).toBe(`headers.${header}`);
});
