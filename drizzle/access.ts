// Machine credentials: API keys of one client (n8n, the report delivery server). Only a SHA-256 of
// the key is stored; `prefix` is the non-secret part shown in listings.
import { foreignKey, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, timestamp3, updatedAtColumn } from "./columns";
import { clients, users } from "./tenancy";

export const apiKeys = pgTable(
  "api_keys",
  {
    id: idColumn(),
    clientId: text("clientId").notNull(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    /** Lowercase hex SHA-256 of the whole key. */
    keyHash: text("keyHash").notNull(),
    scopes: text("scopes").array().notNull(),
    /** The person who created it; kept when they leave (reports fall back to this creator). */
    createdBy: text("createdBy"),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
    lastUsedAt: timestamp3("lastUsedAt"),
    expiresAt: timestamp3("expiresAt"),
    revokedAt: timestamp3("revokedAt"),
    /**
     * Present when the key must sign its requests (X-Signature / X-Timestamp): the HMAC secret,
     * sealed under ENCRYPTION_KEY like Meta tokens (src/crypto/token-crypto.ts), with
     * `api_key:<id>` as the additional data. Null: the key is a plain bearer key.
     */
    signingSecret: text("signingSecret"),
  },
  (t) => [
    uniqueIndex("api_keys_keyHash_key").on(t.keyHash),
    uniqueIndex("api_keys_prefix_key").on(t.prefix),
    index("api_keys_clientId_createdAt_id_idx").on(t.clientId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    foreignKey({ name: "api_keys_clientId_fkey", columns: [t.clientId], foreignColumns: [clients.id] })
      .onDelete("cascade")
      .onUpdate("cascade"),
    foreignKey({ name: "api_keys_createdBy_fkey", columns: [t.createdBy], foreignColumns: [users.id] })
      .onDelete("set null")
      .onUpdate("cascade"),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
