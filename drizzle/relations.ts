// Relations for Drizzle's relational queries (db.query.*). They mirror the foreign keys; they do
// not create anything in the database.
import { relations } from "drizzle-orm";
import { executionLogs, workflows } from "./automation";
import { adAccounts } from "./meta";
import { reports } from "./reports";
import { apiKeys } from "./access";
import { clients, users } from "./tenancy";

export const clientsRelations = relations(clients, ({ many }) => ({
  users: many(users),
  adAccounts: many(adAccounts),
  workflows: many(workflows),
  executionLogs: many(executionLogs),
  reports: many(reports),
}));

export const usersRelations = relations(users, ({ one, many }) => ({
  client: one(clients, { fields: [users.clientId], references: [clients.id] }),
  createdWorkflows: many(workflows),
  executions: many(executionLogs),
  reports: many(reports),
}));

export const adAccountsRelations = relations(adAccounts, ({ one, many }) => ({
  client: one(clients, { fields: [adAccounts.clientId], references: [clients.id] }),
  workflows: many(workflows),
  executionLogs: many(executionLogs),
  reports: many(reports),
}));

export const workflowsRelations = relations(workflows, ({ one, many }) => ({
  client: one(clients, { fields: [workflows.clientId], references: [clients.id] }),
  adAccount: one(adAccounts, { fields: [workflows.adAccountId], references: [adAccounts.id] }),
  creator: one(users, { fields: [workflows.createdBy], references: [users.id] }),
  executionLogs: many(executionLogs),
  reports: many(reports),
}));

export const executionLogsRelations = relations(executionLogs, ({ one }) => ({
  client: one(clients, { fields: [executionLogs.clientId], references: [clients.id] }),
  workflow: one(workflows, { fields: [executionLogs.workflowId], references: [workflows.id] }),
  adAccount: one(adAccounts, { fields: [executionLogs.adAccountId], references: [adAccounts.id] }),
  executor: one(users, { fields: [executionLogs.executedBy], references: [users.id] }),
  report: one(reports),
}));

export const reportsRelations = relations(reports, ({ one }) => ({
  client: one(clients, { fields: [reports.clientId], references: [clients.id] }),
  user: one(users, { fields: [reports.userId], references: [users.id] }),
  workflow: one(workflows, { fields: [reports.workflowId], references: [workflows.id] }),
  adAccount: one(adAccounts, { fields: [reports.adAccountId], references: [adAccounts.id] }),
  executionLog: one(executionLogs, { fields: [reports.executionLogId], references: [executionLogs.id] }),
}));

export const apiKeysRelations = relations(apiKeys, ({ one }) => ({
  client: one(clients, { fields: [apiKeys.clientId], references: [clients.id] }),
  creator: one(users, { fields: [apiKeys.createdBy], references: [users.id] }),
}));
