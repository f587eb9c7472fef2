// The ten Postgres enum types of the seed layout. Type names and label order are part of the
// physical contract (other services compare and sort by them), so they are spelled exactly as
// the seed's Prisma migrations created them.
import { pgEnum } from "drizzle-orm/pg-core";

export const userRole = pgEnum("UserRole", ["SUPER_ADMIN", "ADMIN", "USER", "VIEWER"]);

export const userStatus = pgEnum("UserStatus", ["ACTIVE", "INACTIVE", "SUSPENDED", "PENDING_VERIFICATION"]);

export const subscriptionTier = pgEnum("SubscriptionTier", ["FREE", "BASIC", "PRO", "ENTERPRISE"]);

export const clientStatus = pgEnum("ClientStatus", ["ACTIVE", "TRIAL", "SUSPENDED", "CANCELLED"]);

export const adAccountStatus = pgEnum("AdAccountStatus", ["ACTIVE", "INACTIVE", "DISCONNECTED", "RATE_LIMITED", "ERROR"]);

export const workflowStatus = pgEnum("WorkflowStatus", ["ACTIVE", "INACTIVE", "PAUSED", "ERROR"]);

export const workflowType = pgEnum("WorkflowType", ["WEEKLY_REPORT", "DAILY_METRICS", "ALERT_MONITORING", "BUDGET_OPTIMIZATION", "CUSTOM"]);

export const executionStatus = pgEnum("ExecutionStatus", ["SUCCESS", "FAILED", "RUNNING", "CANCELLED", "TIMEOUT"]);

export const reportStatus = pgEnum("ReportStatus", ["GENERATED", "SENT", "FAILED", "DRAFT"]);

export const reportType = pgEnum("ReportType", [
  "WEEKLY_STORYTELLING",
  "MONTHLY_SUMMARY",
  "PERFORMANCE_ALERT",
  "BUDGET_RECOMMENDATION",
  "CUSTOM",
]);

export type UserRole = (typeof userRole.enumValues)[number];
export type UserStatus = (typeof userStatus.enumValues)[number];
export type SubscriptionTier = (typeof subscriptionTier.enumValues)[number];
export type ClientStatus = (typeof clientStatus.enumValues)[number];
export type AdAccountStatus = (typeof adAccountStatus.enumValues)[number];
export type WorkflowStatus = (typeof workflowStatus.enumValues)[number];
export type WorkflowType = (typeof workflowType.enumValues)[number];
export type ExecutionStatus = (typeof executionStatus.enumValues)[number];
export type ReportStatus = (typeof reportStatus.enumValues)[number];
export type ReportType = (typeof reportType.enumValues)[number];
