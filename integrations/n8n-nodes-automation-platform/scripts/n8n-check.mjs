#!/usr/bin/env node
// The real-n8n check (by hand, not in CI): packs this package, installs the tarball the way n8n loads
// hand-installed community packages (<user folder>/.n8n/nodes), imports the example workflows, runs
// them with `n8n execute` against a running `npm run dev`, and reads the outcome back from the API.
//
//   ../shared/tools/n8n/setup.sh && createdb -h 127.0.0.1 -U postgres n8n_local   # once
//   PORT=8787 npm run dev                                                        # in another shell
//   node integrations/n8n-nodes-automation-platform/scripts/n8n-check.mjs
//
// Settings (environment): AUTOMATION_API_URL (default http://127.0.0.1:8787); N8N_TOOLS (the folder of
// setup.sh/env.sh, default ../shared/tools/n8n next to the repository); N8N_LOCAL_DIR, N8N_USER_FOLDER,
// DB_POSTGRESDB_DATABASE (as env.sh honours them); AUTOMATION_ADMIN_EMAIL (default admin@acme.test, a
// demo ADMIN whose token `npm run token` mints); QUOTA_ACCOUNT (default demo_adacct_acme_outlet: the
// account the quota checks spend); QUOTA_MAX_WAIT (default 30 s); SKIP_ERROR_WORKFLOW=1 (skip the last
// check, which starts `n8n start` on a free port to see the node's Error workflow run). Exit 1 when a
// check fails.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const REPO = resolve(PKG, "../..");
const EXAMPLES = join(REPO, "examples/n8n");
const API = (process.env.AUTOMATION_API_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
const TOOLS =
  process.env.N8N_TOOLS ??
  [resolve(REPO, "../shared/tools/n8n"), resolve(REPO, "../../shared/tools/n8n")].find((d) => existsSync(join(d, "env.sh")));
const ACCOUNT = process.env.QUOTA_ACCOUNT ?? "demo_adacct_acme_outlet";
const MAX_WAIT = Number(process.env.QUOTA_MAX_WAIT ?? 30);
const PLATFORM_NODE = "n8n-nodes-automation-platform.automationPlatform";
const work = mkdtempSync(join(tmpdir(), "n8n-node-check-"));
const failures = [];

const log = (...args) => console.log("•", ...args);
const check = (ok, what) => {
  console.log(ok ? "  ✓" : "  ✗", what);
  if (!ok) failures.push(what);
};

if (!TOOLS) throw new Error("n8n tools not found: set N8N_TOOLS to the folder holding setup.sh and env.sh");

/** Runs a command with env.sh sourced (n8n on PATH, its database settings); never throws. */
function withN8n(command, timeoutMs = 300_000, extraEnv = {}) {
  const env = { ...process.env, AUTOMATION_API_URL: API, ...extraEnv };
  const started = Date.now();
  const r = spawnSync("bash", ["-c", `source "${TOOLS}/env.sh" && ${command}`], {
    env,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
  });
  return {
    status: r.status,
    output: `${r.stdout ?? ""}${r.stderr ?? ""}`,
    seconds: (Date.now() - started) / 1000,
    timedOut: r.error?.code === "ETIMEDOUT",
  };
}

async function api(method, path, token, body) {
  const request = () =>
    fetch(`${API}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  // The local server closes idle keep-alive sockets while n8n runs; a request on such a socket is
  // refused before it is sent ("other side closed"), so sending it again is safe.
  const res = await request().catch((err) => {
    if (err?.cause?.code === "UND_ERR_SOCKET") return request();
    throw err;
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

// ── 1. The package, packed and installed where n8n looks for hand-installed community nodes ──────
log("building and packing", PKG);
execFileSync("npm", ["run", "build"], { cwd: PKG, stdio: "ignore" });
const tarball = join(work, execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: PKG, encoding: "utf8" }).trim());
const userFolder = withN8n('echo "$N8N_USER_FOLDER"').output.trim();
const nodesDir = join(userFolder, ".n8n/nodes");
mkdirSync(nodesDir, { recursive: true });
if (!existsSync(join(nodesDir, "package.json")))
  writeFileSync(join(nodesDir, "package.json"), '{"name": "installed-nodes", "private": true}\n');
log(`npm install --ignore-scripts --legacy-peer-deps ${tarball}  (in ${nodesDir})`);
execFileSync("npm", ["install", "--ignore-scripts", "--legacy-peer-deps", "--no-audit", "--no-fund", tarball], {
  cwd: nodesDir,
  stdio: "ignore",
});
log("n8n", withN8n("n8n --version").output.trim().split("\n").pop());

// ── 2. The API side: an admin token, an API key with every scope, the workflows n8n will name ────
const adminEmail = process.env.AUTOMATION_ADMIN_EMAIL ?? "admin@acme.test";
const admin = execFileSync("npm", ["run", "-s", "token", "--", adminEmail], { cwd: REPO, encoding: "utf8" }).trim();
const scopes = ["executions:write", "reports:read", "reports:write", "workflows:read", "quota:use", "ad_accounts:credentials"];
const created = await api("POST", "/v1/api-keys", admin, { name: `n8n node check ${new Date().toISOString()}`, scopes });
if (created.status !== 201) throw new Error(`POST /v1/api-keys: ${created.status} ${JSON.stringify(created.body)}`);
const key = created.body.data.key;
log("API key", created.body.data.prefix, "with", scopes.join(" "));
// A key that must sign its requests, for report-execution-signed.json (issue 8, item 5).
const signedCreated = await api("POST", "/v1/api-keys", admin, {
  name: `n8n signed check ${new Date().toISOString()}`,
  scopes: ["executions:write"],
  requireSignature: true,
});
if (signedCreated.status !== 201)
  throw new Error(`POST /v1/api-keys (signed): ${signedCreated.status} ${JSON.stringify(signedCreated.body)}`);
const signingKey = signedCreated.body.data.key;
const signingSecret = signedCreated.body.data.signingSecret;
log("signing API key", signedCreated.body.data.prefix, "with executions:write");

const apiWorkflows = new Map();
for (let cursor = null, first = true; first || cursor; first = false) {
  const page = await api("GET", `/v1/workflows?limit=100${cursor ? `&cursor=${cursor}` : ""}`, admin);
  for (const w of page.body.data) if (w.n8nWorkflowId) apiWorkflows.set(w.n8nWorkflowId, w.id);
  cursor = page.body.nextCursor;
}
async function ensureWorkflow(n8nId) {
  if (!apiWorkflows.has(n8nId)) {
    const r = await api("POST", "/v1/workflows", admin, { name: `n8n ${n8nId}`, type: "CUSTOM", n8nWorkflowId: n8nId });
    if (r.status !== 201) throw new Error(`POST /v1/workflows ${n8nId}: ${r.status} ${JSON.stringify(r.body)}`);
    apiWorkflows.set(n8nId, r.body.data.id);
  }
  return apiWorkflows.get(n8nId);
}

// ── 3. n8n side: the two credentials with the key, the examples, two quota checks ───────────────
const headerCred = JSON.parse(readFileSync(join(EXAMPLES, "credentials/automation-api-key.json"), "utf8"));
headerCred[0].data.value = `Bearer ${key}`;
const nodeCred = JSON.parse(readFileSync(join(EXAMPLES, "credentials/automation-platform-api.json"), "utf8"));
nodeCred[0].data.apiKey = key;
const signingCred = JSON.parse(readFileSync(join(EXAMPLES, "credentials/automation-api-signing-key.json"), "utf8"));
signingCred[0].data.value = `Bearer ${signingKey}`;
writeFileSync(join(work, "creds.json"), JSON.stringify([...headerCred, ...nodeCred, ...signingCred]));
const imported = withN8n(`n8n import:credentials --input="${join(work, "creds.json")}"`);
check(imported.status === 0, `import:credentials (${headerCred[0].id}, ${nodeCred[0].id}, ${signingCred[0].id})`);

/** A check workflow: Manual Trigger → a Code node giving `count` items → one quota acquire of cost 100 each. */
function quotaWorkflow(id, onExceeded) {
  const credentials = { automationPlatformApi: { id: nodeCred[0].id, name: nodeCred[0].name } };
  return {
    id,
    name: `Quota check (${onExceeded})`,
    nodes: [
      { id: `${id}-1`, name: "Start", type: "n8n-nodes-base.manualTrigger", typeVersion: 1, position: [0, 0], parameters: {} },
      {
        id: `${id}-2`,
        name: "Three calls",
        type: "n8n-nodes-base.code",
        typeVersion: 2,
        position: [200, 0],
        parameters: { jsCode: "return [1, 2, 3].map((call) => ({ json: { call } }));" },
      },
      {
        id: `${id}-3`,
        name: "Acquire 100 points",
        type: PLATFORM_NODE,
        typeVersion: 1,
        position: [400, 0],
        credentials,
        parameters: { resource: "quota", operation: "acquire", adAccountId: ACCOUNT, cost: 100, onExceeded, maxWaitSeconds: MAX_WAIT },
      },
    ],
    connections: {
      Start: { main: [[{ node: "Three calls", type: "main", index: 0 }]] },
      "Three calls": { main: [[{ node: "Acquire 100 points", type: "main", index: 0 }]] },
    },
    settings: { executionOrder: "v1" },
    active: false,
  };
}
const files = [
  "error-reporter.json",
  "report-execution.json",
  "report-execution-signed.json",
  "node-error-reporter.json",
  "node-report-execution.json",
  "node-meta-quota.json",
];
const dir = join(work, "workflows");
mkdirSync(dir);
for (const f of files) writeFileSync(join(dir, f), readFileSync(join(EXAMPLES, f)));
writeFileSync(join(dir, "quota-fail.json"), JSON.stringify(quotaWorkflow("quotaFailCheck", "fail")));
writeFileSync(join(dir, "quota-wait.json"), JSON.stringify(quotaWorkflow("quotaWaitCheck", "wait")));
const importedWf = withN8n(`n8n import:workflow --separate --input="${dir}"`);
check(importedWf.status === 0, `import:workflow ${files.join(", ")} and two quota checks`);

// ── 4. Run them ──────────────────────────────────────────────────────────────────────────────────
const database = withN8n('echo "$DB_POSTGRESDB_DATABASE"').output.trim();
function lastN8nExecution(workflowId) {
  const sql = `select id || '|' || status from execution_entity where "workflowId" = '${workflowId}' order by id::bigint desc limit 1`;
  const [id, status] = execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atc", sql], { encoding: "utf8" })
    .trim()
    .split("|");
  return { id, status };
}

async function runReported(n8nId, extraEnv = {}) {
  const apiId = await ensureWorkflow(n8nId);
  const run = withN8n(`n8n execute --id=${n8nId}`, 300_000, extraEnv);
  const n8nExec = lastN8nExecution(n8nId);
  log(
    `n8n execute --id=${n8nId}: exit ${run.status}${run.timedOut ? " (timed out)" : ""} in ${run.seconds.toFixed(1)} s; n8n execution ${n8nExec.id} ${n8nExec.status}`,
  );
  const list = await api("GET", `/v1/executions?workflowId=${apiId}&limit=100`, admin);
  const recorded = list.body.data.find((e) => e.n8nExecutionId === n8nExec.id);
  const detail = recorded ? (await api("GET", `/v1/executions/${recorded.id}`, admin)).body.data : undefined;
  log(
    `  API: GET /v1/executions?workflowId=${apiId} → ${recorded ? `${recorded.id} ${recorded.status}, duration ${recorded.duration} ms, output ${JSON.stringify(detail?.output)}` : "not found"}`,
  );
  check(run.status === 0 && n8nExec.status === "success", `${n8nId}: n8n execution ${n8nExec.id} succeeded`);
  check(
    recorded?.status === "SUCCESS" && detail?.output != null,
    `${n8nId}: the API holds n8n execution ${n8nExec.id} as SUCCESS with its output`,
  );
  if (run.status !== 0) console.log(run.output.split("\n").slice(-25).join("\n"));
}

await runReported("reportExecution"); // issue 8: HTTP Request nodes
await runReported("reportExecNode"); // issue 13: the community node
// issue 8, item 5: a Crypto node signs the raw body; the API refuses the key's unsigned requests.
await runReported("reportExecSigned", { AUTOMATION_SIGNING_SECRET: signingSecret });
const unsigned = await api("POST", "/v1/webhooks/n8n/executions", signingKey, {
  executionId: "unsigned-check",
  n8nWorkflowId: "reportExecSigned",
  status: "success",
});
check(unsigned.status === 401, `reportExecSigned: the same key unsigned is refused (${unsigned.status})`);

const meta = withN8n("n8n execute --id=metaQuotaNode");
const metaExec = lastN8nExecution("metaQuotaNode");
log(`n8n execute --id=metaQuotaNode: exit ${meta.status} in ${meta.seconds.toFixed(1)} s; n8n execution ${metaExec.id} ${metaExec.status}`);
check(meta.status === 0 && metaExec.status === "success", "metaQuotaNode: acquire → credentials → (Meta) → report usage succeeded");

const quotaLine = (output) => output.match(/Quota exceeded \(429[^\n"]*/)?.[0];
const fail = withN8n("n8n execute --id=quotaFailCheck");
log(`n8n execute --id=quotaFailCheck (3 × 100 points of ${ACCOUNT}, fail on 429): exit ${fail.status} in ${fail.seconds.toFixed(1)} s`);
log(`  error: ${quotaLine(fail.output) ?? fail.output.split("\n").slice(-8).join(" | ")}`);
check(
  fail.status !== 0 && Boolean(quotaLine(fail.output)),
  "quotaFailCheck: beyond the budget the item fails with a readable quota (429) error",
);

const wait = withN8n("n8n execute --id=quotaWaitCheck");
const gaveUp = wait.output.match(/Gave up: [^\n"]*?(?=\\n|"|$)/m)?.[0];
log(`n8n execute --id=quotaWaitCheck (3 × 100 points, wait up to ${MAX_WAIT} s): exit ${wait.status} in ${wait.seconds.toFixed(1)} s`);
if (wait.status === 0) {
  log("  waited for the quota to come back and went on (the API's window is short enough)");
  check(wait.seconds > 1, "quotaWaitCheck: succeeded after waiting Retry-After");
} else {
  log(`  error: ${quotaLine(wait.output)}`);
  log(`  ${gaveUp}`);
  check(
    Boolean(quotaLine(wait.output) && gaveUp),
    "quotaWaitCheck: a refill beyond Max Wait fails at once with the quota error and says why",
  );
}

// ── 5. The node's Error workflow, in a long-running n8n (n8n execute never runs Error workflows) ──
if (process.env.SKIP_ERROR_WORKFLOW !== "1") {
  const port = await new Promise((resolvePort) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port: free } = server.address();
      server.close(() => resolvePort(free));
    });
  });
  const failingId = "failingNodeCheck";
  const apiId = await ensureWorkflow(failingId);
  const hook = "automation-node-check-fail";
  const failing = {
    id: failingId,
    name: "Failing workflow (node check)",
    active: false,
    settings: { executionOrder: "v1", errorWorkflow: "nodeErrorReport" },
    nodes: [
      {
        id: "c1",
        name: "Webhook",
        type: "n8n-nodes-base.webhook",
        typeVersion: 2,
        position: [0, 0],
        webhookId: "2d0f5f8e-7c1b-4e3a-9b6d-5a4c3b2a1f00",
        parameters: { path: hook, httpMethod: "GET", responseMode: "onReceived" },
      },
      {
        id: "c2",
        name: "Report running",
        type: PLATFORM_NODE,
        typeVersion: 1,
        position: [200, 0],
        credentials: { automationPlatformApi: { id: nodeCred[0].id, name: nodeCred[0].name } },
        parameters: { resource: "execution", operation: "report", status: "running" },
      },
      {
        id: "c3",
        name: "Break",
        type: "n8n-nodes-base.code",
        typeVersion: 2,
        position: [400, 0],
        parameters: { jsCode: "throw new Error('Meta said no: (#17) User request limit reached');" },
      },
    ],
    connections: {
      Webhook: { main: [[{ node: "Report running", type: "main", index: 0 }]] },
      "Report running": { main: [[{ node: "Break", type: "main", index: 0 }]] },
    },
  };
  writeFileSync(join(work, "failing.json"), JSON.stringify(failing));
  withN8n(`n8n import:workflow --input="${join(work, "failing.json")}" && n8n update:workflow --id=${failingId} --active=true`);
  log(`n8n start on 127.0.0.1:${port} with ${failingId} active (Error workflow: nodeErrorReport)`);
  const env = {
    ...process.env,
    AUTOMATION_API_URL: API,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: "127.0.0.1",
  };
  const n8n = spawn("bash", ["-c", `source "${TOOLS}/env.sh" && exec n8n start`], { env, detached: true, stdio: "ignore" });
  const stop = () => {
    try {
      process.kill(-n8n.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  try {
    let answer = "";
    for (let i = 0; i < 90 && !answer.includes("started"); i++) {
      await new Promise((r) => setTimeout(r, 1000));
      answer = await fetch(`http://127.0.0.1:${port}/webhook/${hook}`).then(
        (r) => r.text(),
        () => "",
      );
    }
    log(`  GET /webhook/${hook} → ${answer.trim()}`);
    let recorded;
    for (let i = 0; i < 30 && recorded?.status !== "FAILED"; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      recorded = (await api("GET", `/v1/executions?workflowId=${apiId}&limit=1`, admin)).body.data[0];
    }
    const detail = recorded ? (await api("GET", `/v1/executions/${recorded.id}`, admin)).body.data : undefined;
    log(
      `  API: n8n execution ${recorded?.n8nExecutionId} → ${recorded?.status}; error ${JSON.stringify(detail?.error?.message)}, last node ${detail?.error?.lastNodeExecuted}`,
    );
    check(
      recorded?.status === "FAILED" &&
        /User request limit/.test(detail?.error?.message ?? "") &&
        detail?.error?.lastNodeExecuted === "Break",
      "nodeErrorReport: the failed execution is FAILED in the API with n8n's error and the last node",
    );
  } finally {
    stop();
    withN8n(`n8n update:workflow --id=${failingId} --active=false`);
  }
}

console.log(failures.length ? `\n${failures.length} check(s) failed` : "\nall checks passed");
process.exit(failures.length ? 1 : 0);
