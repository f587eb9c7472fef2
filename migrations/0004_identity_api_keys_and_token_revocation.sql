CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"clientId" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"keyHash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"createdBy" text,
	"createdAt" timestamp (3) DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"updatedAt" timestamp (3) DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"lastUsedAt" timestamp (3),
	"expiresAt" timestamp (3),
	"revokedAt" timestamp (3)
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "tokensValidAfter" timestamp (3);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "authorizerUpdatedAt" timestamp (3);--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_createdBy_fkey" FOREIGN KEY ("createdBy") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_keyHash_key" ON "api_keys" USING btree ("keyHash");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "api_keys_clientId_createdAt_id_idx" ON "api_keys" USING btree ("clientId","createdAt" DESC NULLS FIRST,"id" DESC NULLS FIRST);