// The Drizzle schema describes the seed's physical layout exactly: migration 0000, generated from
// it, builds the same catalog as the seed's Prisma migrations.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestBackend, type TestBackend } from "../support/test-backend.js";
import { catalogSnapshot } from "./catalog.js";
import { applySeedLayoutMigration, loadPrismaSeedLayout } from "./support.js";

describe("migration 0000_seed_layout", { timeout: 60_000 }, () => {
  let prisma: TestBackend;
  let drizzle: TestBackend;

  beforeAll(async () => {
    [prisma, drizzle] = await Promise.all([openTestBackend("schema_prisma"), openTestBackend("schema_0000")]);
    await loadPrismaSeedLayout(prisma.backend);
    await applySeedLayoutMigration(drizzle.backend);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([prisma?.cleanup(), drizzle?.cleanup()]);
  });

  it("creates exactly the catalog the seed's Prisma migrations created", async () => {
    const expected = await catalogSnapshot(prisma.backend);
    const actual = await catalogSnapshot(drizzle.backend);
    // Compared section by section so a failure points at what differs.
    expect(actual.tables).toEqual(expected.tables);
    expect(actual.enums).toEqual(expected.enums);
    expect(actual.columns).toEqual(expected.columns);
    expect(actual.constraints).toEqual(expected.constraints);
    expect(actual.indexes).toEqual(expected.indexes);
  });

  it("has the seed's six tables and ten enum types", async () => {
    const catalog = await catalogSnapshot(drizzle.backend);
    expect(catalog.tables).toEqual(["ad_accounts", "clients", "execution_logs", "reports", "users", "workflows"]);
    expect(catalog.enums.find((e) => e.name === "ExecutionStatus")?.labels).toEqual([
      "SUCCESS",
      "FAILED",
      "RUNNING",
      "CANCELLED",
      "TIMEOUT",
    ]);
    expect(catalog.enums).toHaveLength(10);
  });
});
