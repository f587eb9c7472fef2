// Tenants and the people who use them. Authentication lives in Authorizer: a user row holds only
// business data (role, tenant, status) keyed by the Authorizer subject.
import { foreignKey, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, timestamp3, updatedAtColumn } from "./columns";
import { clientStatus, subscriptionTier, userRole, userStatus } from "./enums";

export const clients = pgTable(
  "clients",
  {
    id: idColumn(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    domain: text("domain"),
    tier: subscriptionTier("tier").notNull().default("FREE"),
    status: clientStatus("status").notNull().default("TRIAL"),
    trialEndsAt: timestamp3("trialEndsAt"),
    subscriptionEndsAt: timestamp3("subscriptionEndsAt"),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    branding: jsonb("branding").$type<Record<string, unknown>>(),
    maxUsers: integer("maxUsers").notNull().default(5),
    maxWorkflows: integer("maxWorkflows").notNull().default(10),
    maxAdAccounts: integer("maxAdAccounts").notNull().default(3),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    uniqueIndex("clients_slug_key").on(t.slug),
    uniqueIndex("clients_domain_key").on(t.domain),
    index("clients_slug_idx").on(t.slug),
    index("clients_status_idx").on(t.status),
    // SUPER_ADMIN's list of every client, newest first (keyset on createdAt, id).
    index("clients_createdAt_id_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);

export const users = pgTable(
  "users",
  {
    id: idColumn(),
    authorizerId: text("authorizerId").notNull(),
    email: text("email").notNull(),
    firstName: text("firstName"),
    lastName: text("lastName"),
    role: userRole("role").notNull().default("USER"),
    status: userStatus("status").notNull().default("ACTIVE"),
    /** null only for SUPER_ADMIN, who belongs to no tenant. */
    clientId: text("clientId"),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
    lastLoginAt: timestamp3("lastLoginAt"),
    /** Access tokens issued before this instant are refused (revocation beats token expiry). */
    tokensValidAfter: timestamp3("tokensValidAfter"),
    /** Authorizer's `updated_at` of the last event applied, so an older (replayed) one is ignored. */
    authorizerUpdatedAt: timestamp3("authorizerUpdatedAt"),
  },
  (t) => [
    uniqueIndex("users_authorizerId_key").on(t.authorizerId),
    uniqueIndex("users_email_key").on(t.email),
    index("users_authorizerId_idx").on(t.authorizerId),
    index("users_email_idx").on(t.email),
    index("users_status_idx").on(t.status),
    index("users_clientId_idx").on(t.clientId),
    // A tenant's users newest first (GET /v1/users, keyset on createdAt, id).
    index("users_clientId_createdAt_id_idx").on(t.clientId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    foreignKey({ name: "users_clientId_fkey", columns: [t.clientId], foreignColumns: [clients.id] })
      .onDelete("cascade")
      .onUpdate("cascade"),
  ],
);

export type Client = typeof clients.$inferSelect;
export type NewClient = typeof clients.$inferInsert;
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
