// A database created by the seed's Prisma migrations is adopted in place: only the additive
// migrations run, no row changes, and it ends with the same layout as a fresh database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execScript, queryRows } from "../../ops/backend.js";
import { migrate, SEED_LAYOUT_TAG, SeedLayoutMismatchError } from "../../ops/migrate.js";
import { openTestBackend, type TestBackend } from "../support/test-backend.js";
import { catalogSnapshot } from "./catalog.js";
import {
  journalTags,
  loadPrismaSeedLayout,
  loadSeedEraRows,
  recordedMigrations,
  tableFingerprints,
  type TableFingerprint,
} from "./support.js";

describe("adopting a seed database", { timeout: 60_000 }, () => {
  let seeded: TestBackend;
  let fresh: TestBackend;
  let before: Record<string, TableFingerprint>;
  let firstRun: Awaited<ReturnType<typeof migrate>>;
  const log: string[] = [];

  beforeAll(async () => {
    [seeded, fresh] = await Promise.all([openTestBackend("schema_adopt"), openTestBackend("schema_fresh")]);
    await loadPrismaSeedLayout(seeded.backend);
    await loadSeedEraRows(seeded.backend);
    before = await tableFingerprints(seeded.backend);
    firstRun = await migrate(seeded.backend, { log: (line) => log.push(line) });
    await migrate(fresh.backend);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([seeded?.cleanup(), fresh?.cleanup()]);
  });

  it("reports the adoption and applies only the additive migrations", () => {
    expect(firstRun.adopted).toBe(true);
    expect(firstRun.applied).toEqual(journalTags().filter((tag) => tag !== SEED_LAYOUT_TAG));
    expect(firstRun.applied.length).toBeGreaterThan(0);
    expect(log.join("\n")).toMatch(/adopted/);
  });

  it("keeps every row of every table unchanged", async () => {
    expect(before.execution_logs!.rows).toBeGreaterThan(500);
    expect(await tableFingerprints(seeded.backend)).toEqual(before);
  });

  it("keeps Prisma's _prisma_migrations table", async () => {
    const rows = await queryRows(seeded.backend, `SELECT migration_name FROM "_prisma_migrations"`);
    expect(rows).toHaveLength(1);
  });

  it("ends with the same layout as a freshly migrated database", async () => {
    expect(await catalogSnapshot(seeded.backend)).toEqual(await catalogSnapshot(fresh.backend));
  });

  it("records the migrations exactly as Drizzle's migrator does on a fresh database", async () => {
    expect(await recordedMigrations(seeded.backend)).toEqual(await recordedMigrations(fresh.backend));
  });

  it("applies nothing on a second run", async () => {
    const second = await migrate(seeded.backend);
    expect(second).toEqual({ adopted: false, applied: [] });
    expect(await recordedMigrations(seeded.backend)).toHaveLength(journalTags().length);
  });
});

describe("a fresh database", { timeout: 60_000 }, () => {
  let db: TestBackend;

  beforeAll(async () => {
    db = await openTestBackend("schema_new");
  }, 60_000);

  afterAll(async () => {
    await db?.cleanup();
  });

  it("gets every migration, then nothing on the next run", async () => {
    expect(await migrate(db.backend)).toEqual({ adopted: false, applied: journalTags() });
    expect(await migrate(db.backend)).toEqual({ adopted: false, applied: [] });
  });
});

describe("a database with only part of the seed layout", { timeout: 60_000 }, () => {
  let db: TestBackend;

  beforeAll(async () => {
    db = await openTestBackend("schema_partial");
  }, 60_000);

  afterAll(async () => {
    await db?.cleanup();
  });

  async function expectRefusal(problems: RegExp[]): Promise<void> {
    const catalogBefore = await catalogSnapshot(db.backend);
    const error = await migrate(db.backend).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(SeedLayoutMismatchError);
    for (const problem of problems) expect((error as Error).message).toMatch(problem);
    // Nothing was recorded or created.
    expect(await recordedMigrations(db.backend)).toEqual([]);
    expect(await catalogSnapshot(db.backend)).toEqual(catalogBefore);
  }

  it("is refused, naming the missing tables", async () => {
    await loadPrismaSeedLayout(db.backend);
    await execScript(db.backend, `DROP TABLE "reports"; DROP TABLE "execution_logs";`);
    await expectRefusal([/refusing to adopt/, /table reports is missing/, /table execution_logs is missing/]);
  });

  it("is refused when a column or index differs", async () => {
    await execScript(
      db.backend,
      `ALTER TABLE "users" DROP COLUMN "lastLoginAt";
       DROP INDEX "workflows_n8nWorkflowId_key";
       ALTER TABLE "clients" ALTER COLUMN "domain" SET NOT NULL;`,
    );
    await expectRefusal([
      /column users\."lastLoginAt" is missing/,
      /index workflows_n8nWorkflowId_key on workflows is missing/,
      /column clients\."domain" is NOT NULL/,
    ]);
  });

  it("is refused when only the enum types exist", async () => {
    await execScript(
      db.backend,
      `DROP TABLE "workflows", "ad_accounts", "users", "clients";
       DROP TABLE "_prisma_migrations";`,
    );
    await expectRefusal([/type "UserRole"/, /table clients is missing/]);
  });
});
