CREATE INDEX IF NOT EXISTS "clients_createdAt_id_idx" ON "clients" USING btree ("createdAt" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "users_clientId_createdAt_id_idx" ON "users" USING btree ("clientId","createdAt" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "execution_logs_adAccountId_startedAt_id_idx" ON "execution_logs" USING btree ("adAccountId","startedAt" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "execution_logs_clientId_status_startedAt_id_idx" ON "execution_logs" USING btree ("clientId","status","startedAt" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "workflows_clientId_createdAt_id_idx" ON "workflows" USING btree ("clientId","createdAt" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reports_clientId_status_createdAt_id_idx" ON "reports" USING btree ("clientId","status","createdAt","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reports_workflowId_createdAt_id_idx" ON "reports" USING btree ("workflowId","createdAt" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
-- Not modelled by drizzle-kit (hand-written): an ad account or workflow belongs to one client, so
-- "clientId" = … AND "adAccountId" = … is no more selective than the ad account alone. Without
-- these the planner multiplies the two selectivities, expects a handful of rows and sorts them all.
CREATE STATISTICS IF NOT EXISTS "execution_logs_clientId_adAccountId_stat" (dependencies) ON "clientId", "adAccountId" FROM "execution_logs";--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "execution_logs_clientId_workflowId_stat" (dependencies) ON "clientId", "workflowId" FROM "execution_logs";
