import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Workers, PGlite and wrangler need a moment to start; assertions never rely on timing.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Files run in parallel against one shared stack (each test makes its own tenants).
    pool: "forks",
    // Request logs of passing tests are noise; a failing test still shows its output.
    silent: "passed-only",
    maxWorkers: 2,
  },
});
