-- API keys that sign their requests (issue 8): the sealed HMAC secret, and the principal lookup
-- returning it. Per-status partial indexes replace the (clientId, status, …) ones of 0007, which
-- row-level security kept the API from using (see drizzle/automation.ts); a workflow's executions get
-- (workflowId, startedAt, id) so its keyset pages read only their rows.
DROP INDEX IF EXISTS "execution_logs_workflowId_startedAt_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "execution_logs_clientId_status_startedAt_id_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "reports_clientId_status_createdAt_id_idx";--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "signingSecret" text;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "execution_logs_workflowId_startedAt_id_idx" ON "execution_logs" USING btree ("workflowId","startedAt" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "execution_logs_clientId_startedAt_id_success_idx" ON "execution_logs" USING btree ("clientId","startedAt" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "status" = 'SUCCESS';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "execution_logs_clientId_startedAt_id_failed_idx" ON "execution_logs" USING btree ("clientId","startedAt" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "status" = 'FAILED';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "execution_logs_clientId_startedAt_id_running_idx" ON "execution_logs" USING btree ("clientId","startedAt" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "status" = 'RUNNING';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "execution_logs_clientId_startedAt_id_cancelled_idx" ON "execution_logs" USING btree ("clientId","startedAt" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "status" = 'CANCELLED';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "execution_logs_clientId_startedAt_id_timeout_idx" ON "execution_logs" USING btree ("clientId","startedAt" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "status" = 'TIMEOUT';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reports_clientId_createdAt_id_generated_idx" ON "reports" USING btree ("clientId","createdAt" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "status" = 'GENERATED';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reports_clientId_createdAt_id_sent_idx" ON "reports" USING btree ("clientId","createdAt" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "status" = 'SENT';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reports_clientId_createdAt_id_failed_idx" ON "reports" USING btree ("clientId","createdAt" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "status" = 'FAILED';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reports_clientId_createdAt_id_draft_idx" ON "reports" USING btree ("clientId","createdAt" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "status" = 'DRAFT';--> statement-breakpoint
-- Hand-written (drizzle-kit does not model functions): the principal lookup also returns the sealed
-- signing secret. Its result type changes, so it is dropped and created again, with the same grants.
DROP FUNCTION IF EXISTS api_principal_for_key(text);--> statement-breakpoint
CREATE FUNCTION api_principal_for_key(key_hash text)
RETURNS TABLE ("keyId" text, name text, "clientId" text, "clientStatus" text, scopes text[], "createdBy" text, "expiresAt" timestamp(3), "revokedAt" timestamp(3), "signingSecret" text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT k.id, k.name, k."clientId", c.status::text, k.scopes, k."createdBy", k."expiresAt", k."revokedAt", k."signingSecret"
  FROM api_keys k JOIN clients c ON c.id = k."clientId"
  WHERE k."keyHash" = key_hash
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION api_principal_for_key(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION api_principal_for_key(text) TO automation_api;
