CREATE INDEX "execution_logs_clientId_startedAt_id_idx" ON "execution_logs" USING btree ("clientId","startedAt" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "execution_logs_workflowId_startedAt_idx" ON "execution_logs" USING btree ("workflowId","startedAt");--> statement-breakpoint
CREATE INDEX "reports_clientId_createdAt_id_idx" ON "reports" USING btree ("clientId","createdAt" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "reports_clientId_periodStart_idx" ON "reports" USING btree ("clientId","periodStart");