// A private local stack for fault tests: its own database (a scratch database on the real server
// named by TEST_DATABASE_URL, else in-memory PGlite), its own SQL and Upstash endpoints (so faults
// and terminated connections never touch the shared stack other files run on) and its own Worker,
// with short dependency timeouts so "answers within the bound" tests stay fast. Also one tenant
// with an API key, a workflow and an ad account, and helpers to post what n8n posts.
import { createScratchDatabase, queryRows } from "../../ops/backend.js";
import { mintWithPrivateJwks } from "../../dev/authorizer/index.js";
import type { FaultSpec } from "../../dev/fault-injection.js";
import { startLocalStack, type LocalStack } from "../../dev/stack.js";
import { newId } from "../../drizzle/ids.js";
import { generateApiKey } from "../../src/auth/api-key-format.js";
import { deleteKeys, uniquePrefix } from "../upstash-endpoint/harness.js";

export interface FaultStack {
  stack: LocalStack;
  clientId: string;
  /** An ADMIN person's access token. */
  token: string;
  /** An API key with executions:write and quota:use. */
  apiKey: string;
  workflowId: string;
  adAccountId: string;
  /** The Worker's timeouts, as configured. */
  dbTimeoutMs: number;
  upstashTimeoutMs: number;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startFaultStack(opts: { dbTimeoutMs: number; upstashTimeoutMs: number; label: string }): Promise<FaultStack> {
  const scratch = process.env.TEST_DATABASE_URL ? await createScratchDatabase(process.env.TEST_DATABASE_URL, opts.label) : undefined;
  const redisUrl = process.env.TEST_REDIS_URL;
  const keyPrefix = `${uniquePrefix(opts.label)}quota:`;
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      backend: scratch ? { databaseUrl: scratch.url } : {},
      ...(redisUrl ? { redisUrl } : {}),
      logLevel: "none",
      vars: { DB_TIMEOUT_MS: String(opts.dbTimeoutMs), UPSTASH_TIMEOUT_MS: String(opts.upstashTimeoutMs), QUOTA_KEY_PREFIX: keyPrefix },
    });
  } catch (err) {
    await scratch?.drop();
    throw err;
  }
  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryRows<T>(stack.backend, sql, params);
  const clientId = newId();
  const userId = newId();
  const workflowId = newId();
  const adAccountId = newId();
  await query(
    `insert into clients (id, name, slug, status, tier, "maxUsers", "maxWorkflows", "updatedAt") values ($1, 'Faults', $2, 'ACTIVE', 'PRO', 20, 1000, now())`,
    [clientId, `faults-${clientId}`],
  );
  await query(
    `insert into users (id, "authorizerId", email, role, status, "clientId", "updatedAt") values ($1, $2, $3, 'ADMIN', 'ACTIVE', $4, now())`,
    [userId, `auth-${userId}`, `admin-${userId}@faults.test`, clientId],
  );
  await query(
    `insert into workflows (id, name, "clientId", "createdBy", "n8nWorkflowId", "updatedAt") values ($1, 'Faults', $2, $3, $4, now())`,
    [workflowId, clientId, userId, `wf${workflowId.slice(-12)}`],
  );
  await query(
    `insert into ad_accounts (id, "metaAdAccountId", "accessToken", name, "apiCallsLimit", "clientId", "updatedAt") values ($1, $2, 'x', 'Ads', 1000000, $3, now())`,
    [adAccountId, `act_${Date.now()}`, clientId],
  );
  const key = await generateApiKey();
  await query(
    `insert into api_keys (id, "clientId", name, prefix, "keyHash", scopes, "createdBy", "updatedAt") values ($1, $2, 'faults', $3, $4, $5, $6, now())`,
    [newId(), clientId, key.prefix, key.hash, ["executions:write", "quota:use"], userId],
  );
  const authorizer = stack.authorizer!;
  const token = await mintWithPrivateJwks(authorizer.privateJwks(), authorizer.url, authorizer.clientId, { sub: `auth-${userId}` });
  return {
    stack,
    clientId,
    token,
    apiKey: key.key,
    workflowId,
    adAccountId,
    dbTimeoutMs: opts.dbTimeoutMs,
    upstashTimeoutMs: opts.upstashTimeoutMs,
    query,
    async stop() {
      await stack.stop();
      await scratch?.drop();
      await deleteKeys(redisUrl, keyPrefix);
    },
  };
}

/** The control route of an endpoint: the SQL endpoint's URL ends in /sql, the Upstash one is its origin. */
const faultsUrl = (endpointUrl: string) => new URL("/faults", endpointUrl).toString();

export async function injectFault(endpointUrl: string, spec: FaultSpec): Promise<number> {
  const res = await fetch(faultsUrl(endpointUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(spec),
  });
  const body = (await res.json()) as { fault?: { id: number }; error?: string };
  if (res.status !== 201 || !body.fault) throw new Error(`POST /faults: ${res.status} ${JSON.stringify(body)}`);
  return body.fault.id;
}

/** How many requests fault `id` struck. */
export async function faultHits(endpointUrl: string, id: number): Promise<number> {
  const res = await fetch(faultsUrl(endpointUrl));
  const { faults } = (await res.json()) as { faults: { id: number; hits: number }[] };
  const fault = faults.find((f) => f.id === id);
  if (!fault) throw new Error(`fault #${id} is not listed`);
  return fault.hits;
}

export async function clearFaults(...endpointUrls: string[]): Promise<void> {
  for (const url of endpointUrls) {
    const res = await fetch(faultsUrl(url), { method: "DELETE" });
    if (res.status !== 200) throw new Error(`DELETE /faults: ${res.status}`);
  }
}

/** A terminal n8n execution with an attached report (what the report workflows post). */
export function executionWithReport(workflowId: string, n8nExecutionId: string) {
  return {
    executionId: n8nExecutionId,
    workflowId,
    status: "success",
    startedAt: "2026-11-26T06:00:00.000Z",
    stoppedAt: "2026-11-26T06:00:42.512Z",
    report: {
      title: `Report of ${n8nExecutionId}`,
      type: "WEEKLY_STORYTELLING",
      periodStart: "2026-11-19T00:00:00.000Z",
      periodEnd: "2026-11-26T00:00:00.000Z",
      content: "# Week in review",
      recipients: ["marketing@faults.test"],
    },
  };
}

/** What the database holds for one n8n execution: its rows, and the reports of that title or attached to it. */
export async function storedFor(f: FaultStack, n8nExecutionId: string): Promise<{ executions: number; reports: number; linked: number }> {
  const [row] = await f.query<{ executions: number; reports: number; linked: number }>(
    `select
       (select count(*) from execution_logs where "clientId" = $1 and "n8nExecutionId" = $2)::int as executions,
       (select count(*) from reports where "clientId" = $1 and title = $3)::int as reports,
       (select count(*) from reports r join execution_logs e on e.id = r."executionLogId"
          where e."clientId" = $1 and e."n8nExecutionId" = $2 and r.title = $3)::int as linked`,
    [f.clientId, n8nExecutionId, `Report of ${n8nExecutionId}`],
  );
  return row!;
}
