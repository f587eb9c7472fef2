CREATE TYPE "public"."AdAccountStatus" AS ENUM('ACTIVE', 'INACTIVE', 'DISCONNECTED', 'RATE_LIMITED', 'ERROR');--> statement-breakpoint
CREATE TYPE "public"."ClientStatus" AS ENUM('ACTIVE', 'TRIAL', 'SUSPENDED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."ExecutionStatus" AS ENUM('SUCCESS', 'FAILED', 'RUNNING', 'CANCELLED', 'TIMEOUT');--> statement-breakpoint
CREATE TYPE "public"."ReportStatus" AS ENUM('GENERATED', 'SENT', 'FAILED', 'DRAFT');--> statement-breakpoint
CREATE TYPE "public"."ReportType" AS ENUM('WEEKLY_STORYTELLING', 'MONTHLY_SUMMARY', 'PERFORMANCE_ALERT', 'BUDGET_RECOMMENDATION', 'CUSTOM');--> statement-breakpoint
CREATE TYPE "public"."SubscriptionTier" AS ENUM('FREE', 'BASIC', 'PRO', 'ENTERPRISE');--> statement-breakpoint
CREATE TYPE "public"."UserRole" AS ENUM('SUPER_ADMIN', 'ADMIN', 'USER', 'VIEWER');--> statement-breakpoint
CREATE TYPE "public"."UserStatus" AS ENUM('ACTIVE', 'INACTIVE', 'SUSPENDED', 'PENDING_VERIFICATION');--> statement-breakpoint
CREATE TYPE "public"."WorkflowStatus" AS ENUM('ACTIVE', 'INACTIVE', 'PAUSED', 'ERROR');--> statement-breakpoint
CREATE TYPE "public"."WorkflowType" AS ENUM('WEEKLY_REPORT', 'DAILY_METRICS', 'ALERT_MONITORING', 'BUDGET_OPTIMIZATION', 'CUSTOM');--> statement-breakpoint
CREATE TABLE "clients" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"domain" text,
	"tier" "SubscriptionTier" DEFAULT 'FREE' NOT NULL,
	"status" "ClientStatus" DEFAULT 'TRIAL' NOT NULL,
	"trialEndsAt" timestamp (3),
	"subscriptionEndsAt" timestamp (3),
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"branding" jsonb,
	"maxUsers" integer DEFAULT 5 NOT NULL,
	"maxWorkflows" integer DEFAULT 10 NOT NULL,
	"maxAdAccounts" integer DEFAULT 3 NOT NULL,
	"createdAt" timestamp (3) DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"updatedAt" timestamp (3) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"authorizerId" text NOT NULL,
	"email" text NOT NULL,
	"firstName" text,
	"lastName" text,
	"role" "UserRole" DEFAULT 'USER' NOT NULL,
	"status" "UserStatus" DEFAULT 'ACTIVE' NOT NULL,
	"clientId" text,
	"createdAt" timestamp (3) DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"updatedAt" timestamp (3) NOT NULL,
	"lastLoginAt" timestamp (3)
);
--> statement-breakpoint
CREATE TABLE "ad_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"metaAdAccountId" text NOT NULL,
	"accessToken" text NOT NULL,
	"tokenExpiresAt" timestamp (3),
	"businessId" text,
	"name" text NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"timezone" text DEFAULT 'America/Mexico_City' NOT NULL,
	"status" "AdAccountStatus" DEFAULT 'ACTIVE' NOT NULL,
	"apiCallsUsed" integer DEFAULT 0 NOT NULL,
	"apiCallsLimit" integer DEFAULT 200 NOT NULL,
	"rateLimitResetAt" timestamp (3),
	"clientId" text NOT NULL,
	"createdAt" timestamp (3) DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"updatedAt" timestamp (3) NOT NULL,
	"lastSyncAt" timestamp (3)
);
--> statement-breakpoint
CREATE TABLE "execution_logs" (
	"id" text PRIMARY KEY NOT NULL,
	"status" "ExecutionStatus" NOT NULL,
	"startedAt" timestamp (3) DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"completedAt" timestamp (3),
	"duration" integer,
	"n8nExecutionId" text,
	"input" jsonb,
	"output" jsonb,
	"error" jsonb,
	"logs" jsonb,
	"apiCallsUsed" integer DEFAULT 0 NOT NULL,
	"dataProcessed" integer,
	"clientId" text NOT NULL,
	"workflowId" text NOT NULL,
	"adAccountId" text,
	"executedBy" text
);
--> statement-breakpoint
CREATE TABLE "workflows" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"type" "WorkflowType" DEFAULT 'WEEKLY_REPORT' NOT NULL,
	"status" "WorkflowStatus" DEFAULT 'INACTIVE' NOT NULL,
	"n8nWorkflowId" text,
	"n8nWebhookUrl" text,
	"schedule" text,
	"timezone" text DEFAULT 'America/Mexico_City' NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"clientId" text NOT NULL,
	"adAccountId" text,
	"createdBy" text NOT NULL,
	"createdAt" timestamp (3) DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"updatedAt" timestamp (3) NOT NULL,
	"lastExecutedAt" timestamp (3)
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"type" "ReportType" DEFAULT 'WEEKLY_STORYTELLING' NOT NULL,
	"status" "ReportStatus" DEFAULT 'GENERATED' NOT NULL,
	"periodStart" timestamp (3) NOT NULL,
	"periodEnd" timestamp (3) NOT NULL,
	"content" text NOT NULL,
	"htmlContent" text,
	"summary" jsonb,
	"recipients" jsonb NOT NULL,
	"sentAt" timestamp (3),
	"deliveryStatus" jsonb,
	"clientId" text NOT NULL,
	"userId" text NOT NULL,
	"workflowId" text,
	"adAccountId" text,
	"executionLogId" text,
	"createdAt" timestamp (3) DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"updatedAt" timestamp (3) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "ad_accounts" ADD CONSTRAINT "ad_accounts_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "execution_logs" ADD CONSTRAINT "execution_logs_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "execution_logs" ADD CONSTRAINT "execution_logs_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "execution_logs" ADD CONSTRAINT "execution_logs_adAccountId_fkey" FOREIGN KEY ("adAccountId") REFERENCES "public"."ad_accounts"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "execution_logs" ADD CONSTRAINT "execution_logs_executedBy_fkey" FOREIGN KEY ("executedBy") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "workflows" ADD CONSTRAINT "workflows_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "workflows" ADD CONSTRAINT "workflows_adAccountId_fkey" FOREIGN KEY ("adAccountId") REFERENCES "public"."ad_accounts"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "workflows" ADD CONSTRAINT "workflows_createdBy_fkey" FOREIGN KEY ("createdBy") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_userId_fkey" FOREIGN KEY ("userId") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "public"."workflows"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_adAccountId_fkey" FOREIGN KEY ("adAccountId") REFERENCES "public"."ad_accounts"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_executionLogId_fkey" FOREIGN KEY ("executionLogId") REFERENCES "public"."execution_logs"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
CREATE UNIQUE INDEX "clients_slug_key" ON "clients" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "clients_domain_key" ON "clients" USING btree ("domain");--> statement-breakpoint
CREATE INDEX "clients_slug_idx" ON "clients" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "clients_status_idx" ON "clients" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "users_authorizerId_key" ON "users" USING btree ("authorizerId");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_authorizerId_idx" ON "users" USING btree ("authorizerId");--> statement-breakpoint
CREATE INDEX "users_email_idx" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_status_idx" ON "users" USING btree ("status");--> statement-breakpoint
CREATE INDEX "users_clientId_idx" ON "users" USING btree ("clientId");--> statement-breakpoint
CREATE UNIQUE INDEX "ad_accounts_metaAdAccountId_key" ON "ad_accounts" USING btree ("metaAdAccountId");--> statement-breakpoint
CREATE INDEX "ad_accounts_metaAdAccountId_idx" ON "ad_accounts" USING btree ("metaAdAccountId");--> statement-breakpoint
CREATE INDEX "ad_accounts_status_idx" ON "ad_accounts" USING btree ("status");--> statement-breakpoint
CREATE INDEX "ad_accounts_clientId_idx" ON "ad_accounts" USING btree ("clientId");--> statement-breakpoint
CREATE UNIQUE INDEX "execution_logs_n8nExecutionId_key" ON "execution_logs" USING btree ("n8nExecutionId");--> statement-breakpoint
CREATE INDEX "execution_logs_clientId_idx" ON "execution_logs" USING btree ("clientId");--> statement-breakpoint
CREATE INDEX "execution_logs_workflowId_idx" ON "execution_logs" USING btree ("workflowId");--> statement-breakpoint
CREATE INDEX "execution_logs_status_idx" ON "execution_logs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "execution_logs_startedAt_idx" ON "execution_logs" USING btree ("startedAt");--> statement-breakpoint
CREATE UNIQUE INDEX "workflows_n8nWorkflowId_key" ON "workflows" USING btree ("n8nWorkflowId");--> statement-breakpoint
CREATE INDEX "workflows_clientId_idx" ON "workflows" USING btree ("clientId");--> statement-breakpoint
CREATE INDEX "workflows_status_idx" ON "workflows" USING btree ("status");--> statement-breakpoint
CREATE INDEX "workflows_type_idx" ON "workflows" USING btree ("type");--> statement-breakpoint
CREATE INDEX "workflows_adAccountId_idx" ON "workflows" USING btree ("adAccountId");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_executionLogId_key" ON "reports" USING btree ("executionLogId");--> statement-breakpoint
CREATE INDEX "reports_clientId_idx" ON "reports" USING btree ("clientId");--> statement-breakpoint
CREATE INDEX "reports_userId_idx" ON "reports" USING btree ("userId");--> statement-breakpoint
CREATE INDEX "reports_status_idx" ON "reports" USING btree ("status");--> statement-breakpoint
CREATE INDEX "reports_type_idx" ON "reports" USING btree ("type");--> statement-breakpoint
CREATE INDEX "reports_periodStart_periodEnd_idx" ON "reports" USING btree ("periodStart","periodEnd");