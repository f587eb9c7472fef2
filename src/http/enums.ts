// Request/response schemas of the database's enum types, derived from the Drizzle enums (the one
// source of truth: drizzle/enums.ts spells the seed's labels). A wrong value — including a wrong
// case — is a 400 that lists what is accepted.
import { z } from "@hono/zod-openapi";
import {
  adAccountStatus,
  clientStatus,
  executionStatus,
  reportStatus,
  reportType,
  subscriptionTier,
  userRole,
  userStatus,
  workflowStatus,
  workflowType,
} from "../../drizzle/enums.js";

function enumSchema<const T extends readonly [string, ...string[]]>(values: T, name: string) {
  return z.enum(values, { error: `Must be one of ${values.join(", ")} (case-sensitive).` }).openapi(name, { example: values[0] });
}

export const UserRoleSchema = enumSchema(userRole.enumValues, "UserRole");
export const UserStatusSchema = enumSchema(userStatus.enumValues, "UserStatus");
export const SubscriptionTierSchema = enumSchema(subscriptionTier.enumValues, "SubscriptionTier");
export const ClientStatusSchema = enumSchema(clientStatus.enumValues, "ClientStatus");
export const AdAccountStatusSchema = enumSchema(adAccountStatus.enumValues, "AdAccountStatus");
export const WorkflowStatusSchema = enumSchema(workflowStatus.enumValues, "WorkflowStatus");
export const WorkflowTypeSchema = enumSchema(workflowType.enumValues, "WorkflowType");
export const ExecutionStatusSchema = enumSchema(executionStatus.enumValues, "ExecutionStatus");
export const ReportStatusSchema = enumSchema(reportStatus.enumValues, "ReportStatus");
export const ReportTypeSchema = enumSchema(reportType.enumValues, "ReportType");
