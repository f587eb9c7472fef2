// The package's own test settings (without this file vitest would pick up the Worker's config above).
import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  // n8n loads nodes with require(): test against the same CommonJS build of n8n-workflow.
  resolve: { alias: { "n8n-workflow": require.resolve("n8n-workflow") } },
  test: {
    root: import.meta.dirname,
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
