// Meta (Facebook) ad accounts a tenant connected, with the credentials and API budget n8n uses.
import { foreignKey, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, timestamp3, updatedAtColumn } from "./columns";
import { adAccountStatus } from "./enums";
import { clients } from "./tenancy";

export const adAccounts = pgTable(
  "ad_accounts",
  {
    id: idColumn(),
    /** Meta's id, `act_<digits>`. */
    metaAdAccountId: text("metaAdAccountId").notNull(),
    /** Meta access token, stored encrypted; never returned by list/get responses. */
    accessToken: text("accessToken").notNull(),
    tokenExpiresAt: timestamp3("tokenExpiresAt"),
    businessId: text("businessId"),
    name: text("name").notNull(),
    currency: text("currency").notNull().default("USD"),
    timezone: text("timezone").notNull().default("America/Mexico_City"),
    status: adAccountStatus("status").notNull().default("ACTIVE"),
    apiCallsUsed: integer("apiCallsUsed").notNull().default(0),
    apiCallsLimit: integer("apiCallsLimit").notNull().default(200),
    rateLimitResetAt: timestamp3("rateLimitResetAt"),
    clientId: text("clientId").notNull(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
    lastSyncAt: timestamp3("lastSyncAt"),
  },
  (t) => [
    uniqueIndex("ad_accounts_metaAdAccountId_key").on(t.metaAdAccountId),
    index("ad_accounts_metaAdAccountId_idx").on(t.metaAdAccountId),
    index("ad_accounts_status_idx").on(t.status),
    index("ad_accounts_clientId_idx").on(t.clientId),
    foreignKey({ name: "ad_accounts_clientId_fkey", columns: [t.clientId], foreignColumns: [clients.id] })
      .onDelete("cascade")
      .onUpdate("cascade"),
  ],
);

export type AdAccount = typeof adAccounts.$inferSelect;
export type NewAdAccount = typeof adAccounts.$inferInsert;
