// Workflows, ad accounts and reports arranged as the owner (bypassing row-level security), and
// helpers to post what n8n posts, for the webhook and report delivery tests.
import { newId } from "../../drizzle/ids.js";
import { call } from "./api.js";
import { bearer, ownerSql } from "./fixtures.js";

export interface N8nWorkflow {
  id: string;
  n8nWorkflowId: string;
}

export async function createN8nWorkflow(clientId: string, createdBy: string): Promise<N8nWorkflow> {
  const id = newId();
  const n8nWorkflowId = `wf${id.slice(-12)}`;
  await ownerSql.query(
    `insert into workflows (id, name, "clientId", "createdBy", "n8nWorkflowId", "updatedAt") values ($1, $2, $3, $4, $5, now())`,
    [id, `Workflow ${id}`, clientId, createdBy, n8nWorkflowId],
  );
  return { id, n8nWorkflowId };
}

export async function createAdAccount(clientId: string): Promise<{ id: string; metaAdAccountId: string }> {
  const id = newId();
  const metaAdAccountId = `act_${Date.now()}${Math.floor(Math.random() * 1e9)}`;
  await ownerSql.query(
    `insert into ad_accounts (id, "metaAdAccountId", "accessToken", name, "clientId", "updatedAt") values ($1, $2, 'x', 'Ads', $3, now())`,
    [id, metaAdAccountId, clientId],
  );
  return { id, metaAdAccountId };
}

export async function createReport(
  clientId: string,
  userId: string,
  opts: { status?: "GENERATED" | "SENT" | "FAILED" | "DRAFT" } = {},
): Promise<string> {
  const id = newId();
  await ownerSql.query(
    `insert into reports (id, title, status, "periodStart", "periodEnd", content, recipients, "clientId", "userId", "updatedAt")
     values ($1, 'Weekly', $2, now() - interval '7 days', now(), '# Week', '["ops@tenant.test"]', $3, $4, now())`,
    [id, opts.status ?? "GENERATED", clientId, userId],
  );
  return id;
}

/** A fresh n8n execution id (unique per test run). */
export const n8nExecutionId = () => String(Date.now() * 1000 + Math.floor(Math.random() * 1000));

export function postJson(path: string, key: string, body: unknown, headers: Record<string, string> = {}) {
  return call(path, {
    method: "POST",
    headers: { ...bearer(key), "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export const executionRows = (clientId: string, n8nId: string) =>
  ownerSql.query(`select * from execution_logs where "clientId" = $1 and "n8nExecutionId" = $2`, [clientId, n8nId]);
