// npm run bench — the figures the design budgets speak of, measured on this machine:
//   bundle: the Worker's minified and gzipped size (wrangler's own dry-run bundle) against its
//   budget, and its largest contributors by package (wrangler's esbuild metafile);
//   round trips: SQL-over-HTTP requests per API call, counted at the local endpoint;
//   latency: GET /v1/me end to end through workerd, cold then warm (local stack, embedded PGlite
//   unless BENCH_DATABASE_URL names a real Postgres).
// Figures only: nothing here asserts a timing (CI does not run it).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createScratchDatabase, queryRows } from "../ops/backend.js";
import type { PrivateKeySet } from "../dev/authorizer/index.js";
import { mintWithPrivateJwks } from "../dev/authorizer/index.js";
import { startLocalStack } from "../dev/stack.js";
import { repoRoot } from "../dev/worker.js";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);

/** The bundle budget (ARCHITECTURE): gzipped Worker script. */
const BUNDLE_BUDGET_GZIP_KIB = 300;
const TOP_CONTRIBUTORS = 12;

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

/** node_modules/<pkg> or node_modules/@scope/<pkg> → the package; anything else → its top folder (src, drizzle…). */
function contributorOf(input: string): string {
  const parts = input.split("/");
  const nm = parts.lastIndexOf("node_modules");
  if (nm >= 0) return parts[nm + 1]?.startsWith("@") ? `${parts[nm + 1]}/${parts[nm + 2]}` : (parts[nm + 1] ?? input);
  const own = parts.findIndex((p) => p === "src" || p === "drizzle");
  return own >= 0 ? `(project) ${parts[own]}/` : input;
}

function bundleSize() {
  const outdir = mkdtempSync(join(tmpdir(), "bench-bundle-"));
  try {
    const wrangler = join(repoRoot, "node_modules", "wrangler", "bin", "wrangler.js");
    const metafile = join(outdir, "meta.json");
    execFileSync(process.execPath, [wrangler, "deploy", "--dry-run", "--minify", "--outdir", outdir, "--metafile", metafile], {
      cwd: repoRoot,
      stdio: "ignore",
    });
    const code = readFileSync(join(outdir, "index.js"));
    const gzipKiB = +(gzipSync(code, { level: 9 }).length / 1024).toFixed(1);
    const meta = JSON.parse(readFileSync(metafile, "utf8")) as Metafile;
    const output = Object.entries(meta.outputs).find(([path]) => path.endsWith("index.js"))?.[1];
    const byContributor = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
      const key = contributorOf(input);
      byContributor.set(key, (byContributor.get(key) ?? 0) + bytesInOutput);
    }
    const largest = [...byContributor.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_CONTRIBUTORS)
      .map(([name, bytes]) => ({ name, minifiedKiB: +(bytes / 1024).toFixed(1), share: `${((100 * bytes) / code.length).toFixed(1)}%` }));
    return {
      minifiedKiB: +(code.length / 1024).toFixed(1),
      gzipKiB,
      budget: `≤ ${BUNDLE_BUDGET_GZIP_KIB} KiB gzip: ${gzipKiB <= BUNDLE_BUDGET_GZIP_KIB ? "within" : "OVER"} (${((100 * gzipKiB) / BUNDLE_BUDGET_GZIP_KIB).toFixed(0)}% used)`,
      // Minified bytes each package puts in the script (esbuild's bytesInOutput), before gzip.
      largestContributors: largest,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function latencyAndRoundTrips() {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, "apibench") : undefined;
  const stack = await startLocalStack({ backend: scratch ? { databaseUrl: scratch.url } : {}, logLevel: "none" });
  try {
    await queryRows(stack.backend, `insert into clients (id, name, slug, "updatedAt") values ('bench', 'Bench', 'bench', now())`);
    await queryRows(
      stack.backend,
      `insert into users (id, "authorizerId", email, role, "clientId", "updatedAt") values ('bench_admin', 'auth-bench', 'bench@x.test', 'ADMIN', 'bench', now())`,
    );
    const a = stack.authorizer!;
    const token = await mintWithPrivateJwks(a.privateJwks() as PrivateKeySet, a.url, a.clientId, { sub: "auth-bench" });
    const get = async () => {
      const t0 = performance.now();
      const res = await fetch(`${stack.worker.url}/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET /v1/me answered ${res.status}`);
      return performance.now() - t0;
    };
    stack.sqlEndpoint.resetStats();
    const coldMs = await get();
    const coldTrips = stack.sqlEndpoint.stats().requests;
    stack.sqlEndpoint.resetStats();
    const samples: number[] = [];
    for (let i = 0; i < REQUESTS; i++) samples.push(await get());
    const warmTrips = stack.sqlEndpoint.stats().requests / REQUESTS;
    samples.sort((x, y) => x - y);
    return {
      backend: stack.backend.label,
      roundTrips: { cold: coldTrips, warmPerRequest: warmTrips },
      latencyMs: {
        cold: +coldMs.toFixed(1),
        warmP50: +percentile(samples, 50).toFixed(2),
        warmP95: +percentile(samples, 95).toFixed(2),
        warmP99: +percentile(samples, 99).toFixed(2),
        requests: REQUESTS,
      },
    };
  } finally {
    await stack.stop();
    await scratch?.drop();
  }
}

const started = performance.now();
const report = { bundle: bundleSize(), getMe: await latencyAndRoundTrips() };
console.log(JSON.stringify(report, null, 2));
console.log(`bench done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
