// Arranging data for the jobs' tests, as the owner (bypassing row-level security).
import { inject } from "vitest";
import { startWorker, type RunningWorker } from "../../dev/worker.js";
import { newId } from "../../drizzle/ids.js";
import { createExecutions, createWorkflow, type ExecutionFixture } from "../support/activity-fixtures.js";
import { bearer, createTenant, createUser, ownerSql, type TestTenant, type TestUser } from "../support/fixtures.js";

export const MINUTE = 60_000;
export const DAY = 86_400_000;

type Tier = "FREE" | "BASIC" | "PRO" | "ENTERPRISE";

export interface JobTenant extends TestTenant {
  workflowId: string;
}

export async function createJobTenant(opts: { tier?: Tier; settings?: Record<string, unknown> } = {}): Promise<JobTenant> {
  const t = await createTenant();
  await ownerSql.query(`update clients set tier = $2, settings = $3::jsonb where id = $1`, [
    t.clientId,
    opts.tier ?? "PRO",
    JSON.stringify(opts.settings ?? {}),
  ]);
  return { ...t, workflowId: await createWorkflow(t.clientId, t.admin.id) };
}

export const addExecutions = (t: JobTenant, executions: ExecutionFixture[]) => createExecutions(t.clientId, t.workflowId, executions);

/** Execution ids of the tenant that still exist. */
export async function remainingExecutions(t: JobTenant): Promise<Set<string>> {
  const rows = await ownerSql.query(`select id from execution_logs where "clientId" = $1`, [t.clientId]);
  return new Set(rows.map((r) => r.id as string));
}

export async function executionRow(id: string) {
  const [row] = await ownerSql.query(
    `select status, to_char("completedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "completedAt", duration, error from execution_logs where id = $1`,
    [id],
  );
  return row;
}

export async function createAdAccountExpiring(
  clientId: string,
  tokenExpiresAt: Date | null,
  status = "ACTIVE",
): Promise<{ id: string; metaAdAccountId: string }> {
  const id = newId();
  const metaAdAccountId = `act_${Date.now()}${Math.floor(Math.random() * 1e9)}`;
  await ownerSql.query(
    `insert into ad_accounts (id, "metaAdAccountId", "accessToken", name, "clientId", status, "tokenExpiresAt", "updatedAt")
     values ($1, $2, 'x', 'Ads', $3, $4, $5, now())`,
    [id, metaAdAccountId, clientId, status, tokenExpiresAt ? tokenExpiresAt.toISOString().replace("Z", "") : null],
  );
  return { id, metaAdAccountId };
}

export async function adAccountStatus(id: string): Promise<string> {
  const [row] = await ownerSql.query(`select status from ad_accounts where id = $1`, [id]);
  return row?.status as string;
}

/** A Worker variant with extra settings (e.g. JOBS_CLOCK), serving /__scheduled. */
export function startJobsWorker(vars: Record<string, string>): Promise<RunningWorker> {
  return startWorker({ vars: { ...inject("workerVars"), ...vars }, logLevel: "none", testScheduled: true });
}

/** Fires a cron expression's scheduled event on a worker started with testScheduled. */
export async function fireCron(worker: RunningWorker, cron: string): Promise<Response> {
  const res = await fetch(`${worker.url}/__scheduled?cron=${encodeURIComponent(cron)}`);
  await res.text();
  return res;
}

export const superAdmin = (): Promise<TestUser> => createUser({ clientId: null, role: "SUPER_ADMIN" });

export async function runJob(base: string, token: string, name: string, query: Record<string, string> = {}) {
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(`${base}/v1/admin/jobs/${name}/run${qs ? `?${qs}` : ""}`, { method: "POST", headers: bearer(token) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
