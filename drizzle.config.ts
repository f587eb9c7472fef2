// drizzle-kit: `generate` needs only the schema; migrations are applied by `npm run db:migrate`
// (ops/migrate.ts), which also adopts databases created by the seed's Prisma migrations.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./drizzle/schema.ts",
  out: "./migrations",
  strict: true,
  verbose: true,
  // Drizzle's defaults, spelled out because ops/migrate.ts reads and adopts this table.
  migrations: { schema: "drizzle", table: "__drizzle_migrations" },
});
