// The bench-only raw routes (src/routes/bench, for `npm run bench`'s overhead ratio) answer without
// authentication, so they must not exist unless the bench turns them on: the shared test Worker,
// started like `npm run dev` and like a deployment (no BENCH_ROUTES), answers 404 on their paths, as
// on any unknown path. A variant with BENCH_ROUTES=1 shows that the very same requests are served
// when it is on, so the 404 is the gate's doing and not a wrong path.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { repoRoot, startWorker, type RunningWorker } from "../../dev/worker.js";
import { benchRoutesEnabled } from "../../src/routes/bench/index.js";
import { call, expectEnvelope } from "../support/api.js";
import { createTenant, type TestTenant } from "../support/fixtures.js";

let tenant: TestTenant;
let enabled: RunningWorker;

beforeAll(async () => {
  [tenant, enabled] = await Promise.all([
    createTenant(),
    startWorker({ vars: { ...inject("workerVars"), BENCH_ROUTES: "1" }, logLevel: "none" }),
  ]);
});

afterAll(async () => {
  await enabled?.stop();
});

const requests = (t: TestTenant) => [
  { method: "GET", path: `/__bench/me?clientId=${t.clientId}&userId=${t.admin.id}` },
  { method: "GET", path: `/__bench/executions?clientId=${t.clientId}&userId=${t.admin.id}&limit=5` },
  { method: "POST", path: "/__bench/acquire?adAccountId=nope" },
];

describe("bench-only routes", () => {
  it("do not exist by default: 404 in the error envelope, like any unknown path", async () => {
    for (const r of requests(tenant)) {
      const res = await call(r.path, { method: r.method });
      expect(res.status, `${r.method} ${r.path}`).toBe(404);
      expectEnvelope(res.body, "not_found");
    }
  });

  it("are served only when the bench turns them on (the same requests)", async () => {
    const res = await fetch(`${enabled.url}${requests(tenant)[0]!.path}`);
    expect(res.status).toBe(200);
    const [self, client] = (await res.json()) as [{ id: string }[], unknown[]];
    expect(self[0]?.id).toBe(tenant.admin.id);
    expect(client).toHaveLength(1);
  });

  it("need BENCH_ROUTES=1 and the local SQL endpoint together; wrangler.toml sets neither", () => {
    expect(benchRoutesEnabled({ BENCH_ROUTES: "1" })).toBe(false);
    expect(benchRoutesEnabled({ NEON_HTTP_ENDPOINT: "http://127.0.0.1:1/sql" })).toBe(false);
    expect(benchRoutesEnabled({ BENCH_ROUTES: "true", NEON_HTTP_ENDPOINT: "http://127.0.0.1:1/sql" })).toBe(false);
    expect(benchRoutesEnabled({ BENCH_ROUTES: "1", NEON_HTTP_ENDPOINT: "http://127.0.0.1:1/sql" })).toBe(true);
    const toml = readFileSync(`${repoRoot}wrangler.toml`, "utf8");
    expect(toml).not.toMatch(/BENCH_ROUTES/);
    expect(toml).not.toMatch(/NEON_HTTP_ENDPOINT/);
  });
});
