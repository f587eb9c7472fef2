// Every dependency failure is a 503 with Retry-After — never a 401, a 500 or a hang.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mintWithPrivateJwks, startAuthorizerStandIn, type AuthorizerStandIn } from "../../dev/authorizer/index.js";
import { startWorker, type RunningWorker } from "../../dev/worker.js";
import { createTenant, type TestTenant } from "../support/fixtures.js";

/** Accepts connections and never answers: the worst kind of dependency failure. */
function blackHole(): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const sockets = new Set<import("node:net").Socket>();
    const server: Server = createServer((socket) => sockets.add(socket));
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

let tenant: TestTenant;
let hole: Awaited<ReturnType<typeof blackHole>>;
let hangingAuthorizer: AuthorizerStandIn;
let dbDown: RunningWorker;
let dbHangs: RunningWorker;
let jwksHangs: RunningWorker;
let jwksDown: RunningWorker;

beforeAll(async () => {
  tenant = await createTenant();
  hole = await blackHole();
  hangingAuthorizer = await startAuthorizerStandIn({ clientId: inject("authorizer").clientId });
  hangingAuthorizer.setJwksAvailable(false, "hang");
  const vars = inject("workerVars");
  [dbDown, dbHangs, jwksHangs, jwksDown] = await Promise.all([
    startWorker({ vars: { ...vars, NEON_HTTP_ENDPOINT: "http://127.0.0.1:9/sql" }, logLevel: "none" }),
    startWorker({ vars: { ...vars, NEON_HTTP_ENDPOINT: `${hole.url}/sql`, DB_TIMEOUT_MS: "500" }, logLevel: "none" }),
    startWorker({ vars: { ...vars, AUTHORIZER_URL: hangingAuthorizer.url }, logLevel: "none" }),
    startWorker({ vars: { ...vars, AUTHORIZER_URL: "http://127.0.0.1:9" }, logLevel: "none" }),
  ]);
});

afterAll(async () => {
  await Promise.all([dbDown?.stop(), dbHangs?.stop(), jwksHangs?.stop(), jwksDown?.stop()]);
  await hangingAuthorizer?.close();
  await hole?.close();
});

async function me(worker: RunningWorker, token: string) {
  const res = await fetch(`${worker.url}/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as any };
}

const tokenFor = (issuer: string) =>
  mintWithPrivateJwks(inject("authorizer").privateJwks, issuer, inject("authorizer").clientId, { sub: tenant.admin.authorizerId });

describe("dependency failures", () => {
  it("answers 503 unavailable with Retry-After when the database refuses connections", async () => {
    const res = await me(dbDown, tenant.admin.token);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("unavailable");
    expect(Number(res.retryAfter)).toBeGreaterThan(0);
  });

  it("answers 503 once DB_TIMEOUT_MS passes when the database never answers", async () => {
    const res = await me(dbHangs, tenant.admin.token);
    expect(res.status).toBe(503);
    expect(res.retryAfter).not.toBeNull();
  });

  it("reports the database down in readiness when it never answers, instead of hanging", async () => {
    const res = await fetch(`${dbHangs.url}/health/ready`);
    expect(res.status).toBe(503);
  });

  it("answers 503, not 401, when the JWKS endpoint hangs", async () => {
    const res = await me(jwksHangs, await tokenFor(hangingAuthorizer.url));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("unavailable");
    expect(res.retryAfter).not.toBeNull();
  });

  it("answers 503, not 401, when the JWKS endpoint is unreachable", async () => {
    const res = await me(jwksDown, await tokenFor("http://127.0.0.1:9"));
    expect(res.status).toBe(503);
  });

  it("still answers 401 to a credential-less request while the JWKS is down (nothing to verify)", async () => {
    const res = await fetch(`${jwksDown.url}/v1/me`);
    expect(res.status).toBe(401);
  });
});
