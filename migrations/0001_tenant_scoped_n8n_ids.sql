-- n8n ids are unique per n8n instance, not globally: uniqueness moves to (clientId, n8n id).
-- Reordered by hand (drizzle-kit emits the DROPs first): the tenant-scoped indexes are built
-- before the global ones go, so no moment exists without a uniqueness guarantee. Existing rows
-- cannot violate them: a global unique already implies a per-tenant one.
CREATE UNIQUE INDEX "workflows_clientId_n8nWorkflowId_key" ON "workflows" USING btree ("clientId","n8nWorkflowId");--> statement-breakpoint
CREATE UNIQUE INDEX "execution_logs_clientId_n8nExecutionId_key" ON "execution_logs" USING btree ("clientId","n8nExecutionId");--> statement-breakpoint
DROP INDEX "workflows_n8nWorkflowId_key";--> statement-breakpoint
DROP INDEX "execution_logs_n8nExecutionId_key";
