// `npm run fuzz`: the contract fuzzer (test/fuzz) with many more cases per operation than CI runs.
// FUZZ_RUNS (default 200) sets the cases per operation and credential; FUZZ_SEED replays a failure
// (fast-check prints the seed). Uses TEST_DATABASE_URL like `npm test` (embedded PGlite without it).
import { spawnSync } from "node:child_process";

const runs = process.env.FUZZ_RUNS ?? "200";
console.log(`[fuzz] ${runs} cases per operation${process.env.FUZZ_SEED ? `, seed ${process.env.FUZZ_SEED}` : ""}`);
const result = spawnSync("npx", ["vitest", "run", "test/fuzz", "--silent=false", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, FUZZ_RUNS: runs },
});
process.exit(result.status ?? 1);
