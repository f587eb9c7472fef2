// Issue 12, item 2: crash safety under load. While n8n execution webhooks (each with its report)
// are posted at concurrency 24, the database side crashes: the SQL endpoint is restarted (its
// server closed with every in-flight request cut, nothing listening for a moment, then a fresh one
// on the same port) and, on a real Postgres, every server connection of the database is ended
// with pg_terminate_backend (as a restart or failover does), twice. Just before the restart the
// endpoint loses 8 answers after their COMMIT and aborts 8 batches before theirs (injected faults),
// so both outcomes of a cut request certainly occur. Requests caught in it may have
// committed or not; their answers are lost either way. Afterwards: every execution that got a 2xx
// is stored exactly once with its report (the ids answered are the ids stored), every request that
// did not get a 2xx got a 503 (never a 500) and is retried to success (idempotency: 200 if its
// first attempt had committed, 201 if not), and nothing else was written.
//
// On PGlite there are no server connections to end (the database lives in the endpoint's process),
// so there the crash is the endpoint's restart alone; the in-flight requests it cuts are the ones
// whose outcome is unknown to the Worker, which is what idempotency has to absorb.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSqlEndpoint } from "../../dev/sql-endpoint/index.js";
import { terminateConnections } from "../support/private-stack.js";
import { usingRealPostgres } from "../support/test-backend.js";
import { executionWithReport, faultHits, injectFault, startFaultStack, type FaultStack } from "./fault-stack.js";

const POSTS = 320;
const CONCURRENCY = 24;

let f: FaultStack;
const endpoints: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  // The production database timeout: a loaded machine must not turn slow answers into failures.
  f = await startFaultStack({ dbTimeoutMs: 5000, upstashTimeoutMs: 1000, label: "apicrash" });
}, 180_000);

afterAll(async () => {
  for (const e of endpoints) await e.close();
  await f?.stop();
});

interface Attempt {
  status: number;
  body: any;
}

const post = async (n8nExecutionId: string): Promise<Attempt> => {
  const res = await fetch(`${f.stack.worker.url}/v1/webhooks/n8n/executions`, {
    method: "POST",
    headers: { Authorization: `Bearer ${f.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(executionWithReport(f.workflowId, n8nExecutionId)),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
};

/** Ends every server connection to the stack's database (real Postgres only). */
const terminateBackends = () => terminateConnections(new URL(f.stack.ownerDatabaseUrl).pathname.slice(1));

/** Closes the SQL endpoint (cutting in-flight requests), leaves the port dark for a moment, and starts a fresh one on it. */
async function restartSqlEndpoint(port: number): Promise<void> {
  const current = endpoints.at(-1) ?? f.stack.sqlEndpoint;
  await current.close();
  await new Promise((done) => setTimeout(done, 400));
  endpoints.push(await startSqlEndpoint({ backend: f.stack.backend, port }));
}

describe("the database side crashes under a load of webhook posts", () => {
  it("stores every acknowledged execution exactly once with its report, and every other one on retry", { timeout: 90_000 }, async () => {
    const runId = Date.now() * 1000;
    const ids = Array.from({ length: POSTS }, (_, i) => String(runId + i));
    const first = new Map<string, Attempt>();
    let done = 0;
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        first.set(id, await post(id));
        done++;
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // The crash, a quarter of the way in, while every worker has a request in flight.
    const port = f.stack.sqlEndpoint.port;
    while (done < POSTS / 4) await new Promise((r) => setTimeout(r, 20));
    // Crashing while answering: the next answers are lost after their commit, then mid-batch
    // (rolled back), so both outcomes a cut request can have are certain to occur. Then the restart.
    const sqlUrl = f.stack.sqlEndpoint.url;
    const ingestBatch = { contains: "insert into execution_logs" };
    const afterCommit = await injectFault(sqlUrl, { kind: "drop", phase: "after", count: 8, match: ingestBatch });
    const beforeCommit = await injectFault(sqlUrl, { kind: "drop", phase: "during", count: 8, match: ingestBatch });
    const struck = async () => (await faultHits(sqlUrl, afterCommit)) + (await faultHits(sqlUrl, beforeCommit));
    for (let waited = 0; waited < 3000 && (await struck()) < 16; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(await struck()).toBe(16);
    const terminated: number[] = [];
    const crash = restartSqlEndpoint(port);
    if (usingRealPostgres) terminated.push(await terminateBackends());
    await crash;
    // And on a real server, the connections of the fresh endpoint too, once the load is back.
    if (usingRealPostgres) {
      const resumed = done;
      while (done < resumed + POSTS / 8 && done < POSTS) await new Promise((r) => setTimeout(r, 20));
      terminated.push(await terminateBackends());
    }
    await load;

    const failed = ids.filter((id) => first.get(id)!.status >= 300);
    const acknowledged = ids.filter((id) => first.get(id)!.status < 300);
    // The crash hit requests (or the test proves nothing), and every one of them got a 503, never a 500.
    expect(failed.length).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const id of failed)
      expect(first.get(id), `first attempt of ${id}`).toMatchObject({ status: 503, body: { error: { code: "unavailable" } } });
    if (usingRealPostgres) expect(terminated.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    // What the acknowledged requests answered is what is stored.
    const rows = await f.query<{ n8nExecutionId: string; id: string; reports: number; reportId: string | null }>(
      `select e."n8nExecutionId", e.id, (select count(*) from reports r where r."executionLogId" = e.id)::int as reports,
              (select r.id from reports r where r."executionLogId" = e.id limit 1) as "reportId"
       from execution_logs e where e."clientId" = $1 and e."n8nExecutionId" = any($2)`,
      [f.clientId, ids],
    );
    const stored = new Map(rows.map((r) => [r.n8nExecutionId, r]));
    for (const id of acknowledged) {
      const answer = first.get(id)!.body.data;
      expect(stored.get(id), `acknowledged ${id}`).toMatchObject({ id: answer.id, reports: 1, reportId: answer.reportId });
    }
    // A failed request's write is all or nothing: no execution without its report.
    for (const id of failed) if (stored.has(id)) expect(stored.get(id)!.reports, `failed ${id}`).toBe(1);

    // Every request that failed is retried (as n8n does) to success.
    const retried = { created: 0, found: 0 };
    for (const id of failed) {
      let attempt = await post(id);
      for (let i = 0; i < 10 && attempt.status >= 300; i++) {
        await new Promise((r) => setTimeout(r, 300));
        attempt = await post(id);
      }
      expect(attempt.status, `retry of ${id}: ${JSON.stringify(attempt.body)}`).toBe(stored.has(id) ? 200 : 201);
      if (stored.has(id)) expect(attempt.body.data.id).toBe(stored.get(id)!.id);
      retried[attempt.status === 201 ? "created" : "found"]++;
    }

    // Both kinds of cut request were there: committed with the answer lost, and rolled back.
    expect(retried.found).toBeGreaterThanOrEqual(8);
    expect(retried.created).toBeGreaterThanOrEqual(8);

    // Exactly once, with its report, for every post, and nothing else in the tenant.
    const [totals] = await f.query<{ executions: number; reports: number; linked: number; distinct: number }>(
      `select (select count(*) from execution_logs where "clientId" = $1)::int as executions,
              (select count(distinct "n8nExecutionId") from execution_logs where "clientId" = $1)::int as distinct,
              (select count(*) from reports where "clientId" = $1)::int as reports,
              (select count(*) from reports r join execution_logs e on e.id = r."executionLogId" where e."clientId" = $1)::int as linked`,
      [f.clientId],
    );
    expect(totals).toEqual({ executions: POSTS, distinct: POSTS, reports: POSTS, linked: POSTS });
    console.log(
      `crash under load: ${POSTS} posts at concurrency ${CONCURRENCY}; ${acknowledged.length} acknowledged, ${failed.length} failed ` +
        `(${retried.found} had committed, ${retried.created} had not)${usingRealPostgres ? `; backends terminated: ${terminated.join(" + ")}` : ""}`,
    );
  });
});
