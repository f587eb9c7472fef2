// POST /v1/ad-accounts/:id/quota/acquire against the real Worker: the budget per ad account
// (token bucket, weighted, a refusal takes nothing), its headers and errors, and who may call it.
import { beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "../support/api.js";
import { createApiKey, createTenant, type TestTenant } from "../support/fixtures.js";
import { acquire, createAdAccount, readQuota } from "./support.js";

let t: TestTenant;
let other: TestTenant;
beforeAll(async () => {
  [t, other] = await Promise.all([createTenant(), createTenant()]);
});

describe("the budget", () => {
  it("grants cost points while they last, with RateLimit headers, and refuses what does not fit", async () => {
    const acct = await createAdAccount(t.clientId, { limit: 5 });
    const first = await acquire(t.user.token, acct.id, { cost: 3 });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ granted: true, remaining: 2, limit: 5 });
    const resetIn = (Date.parse(first.body.data.resetAt) - Date.now()) / 1000;
    expect(resetIn).toBeGreaterThan(3590);
    expect(resetIn).toBeLessThanOrEqual(3600);
    expect(first.headers.get("ratelimit-limit")).toBe("5");
    expect(first.headers.get("ratelimit-remaining")).toBe("2");
    expect(Number(first.headers.get("ratelimit-reset"))).toBeGreaterThan(3590);

    expect((await acquire(t.user.token, acct.id, { cost: 1, useCase: "ads_insights" })).body.data.remaining).toBe(1);

    const refused = await acquire(t.user.token, acct.id, { cost: 3 });
    expect(refused.status).toBe(429);
    expectEnvelope(refused.body, "quota_exceeded");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(3590);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.headers.get("ratelimit-remaining")).toBe("1");
    expect(refused.headers.get("ratelimit-limit")).toBe("5");
    expect(refused.body.error.details).toEqual(expect.arrayContaining([{ path: "reason", message: "budget" }]));

    // The refusal took nothing: a call that fits is granted.
    const fits = await acquire(t.user.token, acct.id, { cost: 1 });
    expect(fits.status).toBe(200);
    expect(fits.body.data.remaining).toBe(0);
    expect((await acquire(t.user.token, acct.id)).status).toBe(429);

    const state = await readQuota(t.viewer.token, acct.id);
    expect(state.status).toBe(200);
    expect(state.body.data).toMatchObject({ limit: 5, remaining: 0, blockedUntil: null, utilization: null });
    expect(state.body.data.resetAt).toBe(first.body.data.resetAt);
  });

  it("defaults to cost 1 and accepts an empty body", async () => {
    const acct = await createAdAccount(t.clientId, { limit: 10 });
    expect((await acquire(t.user.token, acct.id, {})).body.data.remaining).toBe(9);
    expect((await readQuota(t.user.token, acct.id)).body.data).toMatchObject({ limit: 10, remaining: 9 });
  });

  it("is atomic: 100 simultaneous acquires of cost 1 against a limit of 50 grant exactly 50", async () => {
    const acct = await createAdAccount(t.clientId, { limit: 50 });
    await acquire(t.user.token, acct.id, { cost: 1 }); // the account is cached, the script loaded
    const results = await Promise.all(Array.from({ length: 100 }, () => acquire(t.user.token, acct.id, { cost: 1 })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(49);
    expect(results.filter((r) => r.status === 429)).toHaveLength(51);
  });
});

describe("input and access", () => {
  it.each([[{ cost: 0 }], [{ cost: 101 }], [{ cost: 1.5 }], [{ cost: "1" }], [{ useCase: "pages" }], [{ extra: true }]])(
    "answers 400 to %j",
    async (body) => {
      const acct = await createAdAccount(t.clientId);
      const res = await acquire(t.user.token, acct.id, body);
      expect(res.status).toBe(400);
      expectEnvelope(res.body, "invalid_request");
    },
  );

  it("answers another tenant's account and a missing one with the same 404", async () => {
    const theirs = await createAdAccount(other.clientId);
    const foreign = await acquire(t.user.token, theirs.id);
    const missing = await acquire(t.user.token, "cm_no_such_account");
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect({ ...foreign.body.error, requestId: null }).toEqual({ ...missing.body.error, requestId: null });
    // Also once the other tenant's account is cached on this isolate.
    await acquire(other.user.token, theirs.id);
    expect((await acquire(t.user.token, theirs.id)).status).toBe(404);
    expect((await readQuota(t.viewer.token, theirs.id)).status).toBe(404);
  });

  it("serves API keys with quota:use; viewers may read but not acquire", async () => {
    const acct = await createAdAccount(t.clientId);
    const key = await createApiKey(t.clientId, ["quota:use"]);
    expect((await acquire(key.key, acct.id, { cost: 3 })).status).toBe(200);
    expect((await readQuota(key.key, acct.id)).body.data.remaining).toBe(197);
    expect((await acquire(t.viewer.token, acct.id)).status).toBe(403);
    expect((await readQuota(t.viewer.token, acct.id)).status).toBe(200);
    const noScope = await createApiKey(t.clientId, ["reports:read"]);
    expect((await readQuota(noScope.key, acct.id)).status).toBe(403);
  });
});
