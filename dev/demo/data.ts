// The demo data set: two tenants on different plans, one user per role, ad accounts, workflows of
// several types and states, ~60 days of executions in every status and reports in every state.
// Pure data (no I/O): ids are fixed so seeding is idempotent, and everything "random" comes from a
// seeded generator so two builds at the same `now` are identical. dev/demo/seed.ts writes it.
import type { NewAdAccount, NewClient, NewExecutionLog, NewReport, NewUser, NewWorkflow } from "../../drizzle/schema.js";
import type { ExecutionStatus, UserRole, UserStatus } from "../../drizzle/enums.js";

export const DEMO_CLIENT_IDS = { acme: "demo_client_acme", nova: "demo_client_nova" } as const;

export interface DemoUser {
  id: string;
  email: string;
  /** The Authorizer subject (`sub`) a local token for this user must carry. */
  authorizerId: string;
  role: UserRole;
  status: UserStatus;
  /** null for the SUPER_ADMIN, who belongs to no tenant. */
  clientId: string | null;
  firstName: string;
  lastName: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  demoUser("superadmin", "superadmin@platform.test", "SUPER_ADMIN", null, "Sam", "Root"),
  demoUser("admin-acme", "admin@acme.test", "ADMIN", DEMO_CLIENT_IDS.acme, "Ana", "Acosta"),
  demoUser("user-acme", "user@acme.test", "USER", DEMO_CLIENT_IDS.acme, "Uriel", "Acosta"),
  demoUser("viewer-acme", "viewer@acme.test", "VIEWER", DEMO_CLIENT_IDS.acme, "Vera", "Acosta"),
  demoUser("suspended-acme", "suspended@acme.test", "USER", DEMO_CLIENT_IDS.acme, "Simon", "Acosta", "SUSPENDED"),
  demoUser("admin-nova", "admin@nova.test", "ADMIN", DEMO_CLIENT_IDS.nova, "Nadia", "Novak"),
  demoUser("user-nova", "user@nova.test", "USER", DEMO_CLIENT_IDS.nova, "Nico", "Novak"),
  demoUser("viewer-nova", "viewer@nova.test", "VIEWER", DEMO_CLIENT_IDS.nova, "Noa", "Novak"),
];

function demoUser(
  key: string,
  email: string,
  role: UserRole,
  clientId: string | null,
  firstName: string,
  lastName: string,
  status: UserStatus = "ACTIVE",
): DemoUser {
  return { id: `demo_user_${key.replace("-", "_")}`, email, authorizerId: `auth-demo-${key}`, role, status, clientId, firstName, lastName };
}

export interface DemoData {
  clients: NewClient[];
  users: NewUser[];
  adAccounts: NewAdAccount[];
  workflows: NewWorkflow[];
  executionLogs: NewExecutionLog[];
  reports: NewReport[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HISTORY_DAYS = 60;
const PINNED_STATUSES: Record<string, ExecutionStatus> = {
  demo_exec_acme_daily_020: "TIMEOUT",
  demo_exec_acme_daily_033: "CANCELLED",
};

export function buildDemoData(now: Date = new Date()): DemoData {
  const t = now.getTime();
  const at = (msAgo: number) => new Date(t - msAgo);
  const random = seededRandom(20251202);

  const clients: NewClient[] = [
    {
      id: DEMO_CLIENT_IDS.acme,
      name: "Acme Retail",
      slug: "acme-retail",
      domain: "acme.test",
      tier: "PRO",
      status: "ACTIVE",
      trialEndsAt: null,
      subscriptionEndsAt: new Date(t + 300 * DAY),
      settings: { retentionDays: 90, reportLanguage: "en", weekStartsOn: "monday" },
      branding: { primaryColor: "#d9480f", logoUrl: "https://acme.test/logo.svg" },
      maxUsers: 25,
      maxWorkflows: 50,
      maxAdAccounts: 10,
      createdAt: at(120 * DAY),
      updatedAt: at(3 * DAY),
    },
    {
      id: DEMO_CLIENT_IDS.nova,
      name: "Nova Studio",
      slug: "nova-studio",
      domain: "nova.test",
      tier: "FREE",
      status: "TRIAL",
      trialEndsAt: new Date(t + 9 * DAY),
      subscriptionEndsAt: null,
      settings: {},
      branding: null,
      maxUsers: 5,
      maxWorkflows: 10,
      maxAdAccounts: 3,
      createdAt: at(HISTORY_DAYS * DAY + 5 * DAY),
      updatedAt: at(HISTORY_DAYS * DAY + 5 * DAY),
    },
  ];

  const users: NewUser[] = DEMO_USERS.map((u, i) => ({
    id: u.id,
    authorizerId: u.authorizerId,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    role: u.role,
    status: u.status,
    clientId: u.clientId,
    createdAt: at((110 - i) * DAY),
    updatedAt: at((20 - i) * DAY),
    lastLoginAt: u.status === "ACTIVE" ? at((i + 1) * 7 * HOUR) : null,
  }));

  // TODO(credentials issue): replace these placeholders with AES-GCM ciphertext produced with the
  // ENCRYPTION_KEY scheme; until then they are marked so nothing mistakes them for real tokens.
  const fakeToken = (name: string) => `demo-unencrypted:${name}`;
  const adAccounts: NewAdAccount[] = [
    adAccount(t, "demo_adacct_acme_main", "act_100000000001", "Acme Retail — Main", DEMO_CLIENT_IDS.acme, {
      accessToken: fakeToken("acme-main"),
      tokenExpiresAt: new Date(t + 50 * DAY),
      businessId: "100200300400500",
      apiCallsUsed: 37,
      lastSyncAt: at(20 * MINUTE),
    }),
    adAccount(t, "demo_adacct_acme_outlet", "act_100000000002", "Acme Retail — Outlet", DEMO_CLIENT_IDS.acme, {
      accessToken: fakeToken("acme-outlet"),
      tokenExpiresAt: new Date(t + 50 * DAY),
      businessId: "100200300400500",
      currency: "MXN",
      status: "RATE_LIMITED",
      apiCallsUsed: 200,
      rateLimitResetAt: new Date(t + 35 * MINUTE),
      lastSyncAt: at(2 * HOUR),
    }),
    adAccount(t, "demo_adacct_nova_main", "act_200000000001", "Nova Studio", DEMO_CLIENT_IDS.nova, {
      accessToken: fakeToken("nova-main"),
      // Expires within the week: the token-expiry job has something to warn about.
      tokenExpiresAt: new Date(t + 5 * DAY),
      timezone: "Europe/Madrid",
      currency: "EUR",
      apiCallsUsed: 4,
      lastSyncAt: at(6 * HOUR),
    }),
  ];

  const acmeAdmin = "demo_user_admin_acme";
  const acmeUser = "demo_user_user_acme";
  const novaAdmin = "demo_user_admin_nova";
  const workflows: NewWorkflow[] = [
    workflow(t, "demo_wf_acme_weekly", DEMO_CLIENT_IDS.acme, "Weekly performance story", "WEEKLY_REPORT", "ACTIVE", {
      n8nWorkflowId: "wf-acme-1001",
      schedule: "0 9 * * 1",
      adAccountId: "demo_adacct_acme_main",
      createdBy: acmeAdmin,
      config: { recipients: ["marketing@acme.test"], compareWithPreviousPeriod: true },
    }),
    workflow(t, "demo_wf_acme_daily", DEMO_CLIENT_IDS.acme, "Daily metrics sync", "DAILY_METRICS", "ACTIVE", {
      n8nWorkflowId: "wf-acme-1002",
      schedule: "0 7 * * *",
      adAccountId: "demo_adacct_acme_main",
      createdBy: acmeAdmin,
      config: { metrics: ["spend", "impressions", "clicks", "purchases"] },
    }),
    workflow(t, "demo_wf_acme_alerts", DEMO_CLIENT_IDS.acme, "CPA spike alerts", "ALERT_MONITORING", "PAUSED", {
      n8nWorkflowId: "wf-acme-1003",
      schedule: "0 */6 * * *",
      adAccountId: "demo_adacct_acme_outlet",
      createdBy: acmeUser,
      config: { threshold: { metric: "cpa", increasePercent: 30 } },
    }),
    workflow(t, "demo_wf_acme_budget", DEMO_CLIENT_IDS.acme, "Budget rebalancer", "BUDGET_OPTIMIZATION", "ERROR", {
      n8nWorkflowId: "wf-acme-1004",
      schedule: "30 6 * * 1-5",
      adAccountId: "demo_adacct_acme_outlet",
      createdBy: acmeAdmin,
      config: { maxShiftPercent: 15 },
    }),
    workflow(t, "demo_wf_acme_custom", DEMO_CLIENT_IDS.acme, "Creative fatigue check (draft)", "CUSTOM", "INACTIVE", {
      createdBy: acmeUser,
      description: "Not deployed to n8n yet.",
    }),
    workflow(t, "demo_wf_nova_weekly", DEMO_CLIENT_IDS.nova, "Weekly summary", "WEEKLY_REPORT", "ACTIVE", {
      n8nWorkflowId: "wf-nova-17",
      schedule: "0 8 * * 1",
      timezone: "Europe/Madrid",
      adAccountId: "demo_adacct_nova_main",
      createdBy: novaAdmin,
      config: { recipients: ["hola@nova.test"] },
    }),
    workflow(t, "demo_wf_nova_daily", DEMO_CLIENT_IDS.nova, "Daily spend check", "DAILY_METRICS", "ACTIVE", {
      n8nWorkflowId: "wf-nova-18",
      schedule: "0 6 * * *",
      timezone: "Europe/Madrid",
      adAccountId: "demo_adacct_nova_main",
      createdBy: novaAdmin,
    }),
  ];

  // Executions on each workflow's cadence over the history window, statuses drawn from a realistic
  // mix; a few are pinned so every ExecutionStatus appears whatever the draw.
  const cadences: { workflowId: string; every: number; until?: number; mix: [ExecutionStatus, number][] }[] = [
    {
      workflowId: "demo_wf_acme_weekly",
      every: 7 * DAY,
      mix: [
        ["SUCCESS", 0.9],
        ["FAILED", 0.1],
      ],
    },
    {
      workflowId: "demo_wf_acme_daily",
      every: DAY,
      mix: [
        ["SUCCESS", 0.85],
        ["FAILED", 0.08],
        ["TIMEOUT", 0.04],
        ["CANCELLED", 0.03],
      ],
    },
    // Paused ten days ago.
    {
      workflowId: "demo_wf_acme_alerts",
      every: 6 * HOUR,
      until: 10 * DAY,
      mix: [
        ["SUCCESS", 0.9],
        ["FAILED", 0.05],
        ["TIMEOUT", 0.05],
      ],
    },
    // Broke a week ago: the last runs all failed.
    {
      workflowId: "demo_wf_acme_budget",
      every: DAY,
      mix: [
        ["SUCCESS", 0.75],
        ["FAILED", 0.15],
        ["CANCELLED", 0.1],
      ],
    },
    { workflowId: "demo_wf_nova_weekly", every: 7 * DAY, mix: [["SUCCESS", 1]] },
    {
      workflowId: "demo_wf_nova_daily",
      every: DAY,
      mix: [
        ["SUCCESS", 0.9],
        ["FAILED", 0.06],
        ["TIMEOUT", 0.04],
      ],
    },
  ];
  const workflowById = new Map(workflows.map((w) => [w.id!, w]));
  const executionLogs: NewExecutionLog[] = [];
  let n8nExecutionCounter = 4000;
  const nextN8nExecutionId = () => {
    n8nExecutionCounter += 1;
    return String(n8nExecutionCounter);
  };
  for (const cadence of cadences) {
    const wf = workflowById.get(cadence.workflowId)!;
    const short = cadence.workflowId.replace("demo_wf_", "");
    let seq = 0;
    for (let ago = HISTORY_DAYS * DAY - 3 * HOUR; ago > (cadence.until ?? 0); ago -= cadence.every) {
      seq += 1;
      let status = pick(random, cadence.mix);
      if (cadence.workflowId === "demo_wf_acme_budget" && ago < 7 * DAY) status = "FAILED";
      const id = `demo_exec_${short}_${String(seq).padStart(3, "0")}`;
      status = PINNED_STATUSES[id] ?? status;
      const startedAt = at(ago + Math.floor(random() * 20 * MINUTE));
      executionLogs.push(
        execution(id, wf, status, startedAt, random, {
          n8nExecutionId: nextN8nExecutionId(),
          executedBy: random() < 0.1 ? wf.createdBy : null,
        }),
      );
    }
  }
  // The daily sync running right now, and one run stuck since two days (for the stuck-executions job).
  executionLogs.push(
    execution("demo_exec_acme_daily_running", workflowById.get("demo_wf_acme_daily")!, "RUNNING", at(4 * MINUTE), random, {
      n8nExecutionId: nextN8nExecutionId(),
      executedBy: null,
    }),
    execution("demo_exec_nova_daily_stuck", workflowById.get("demo_wf_nova_daily")!, "RUNNING", at(2 * DAY + 3 * HOUR), random, {
      n8nExecutionId: nextN8nExecutionId(),
      executedBy: null,
    }),
  );
  for (const wf of workflows) {
    const last = executionLogs.filter((e) => e.workflowId === wf.id).map((e) => e.startedAt!.getTime());
    wf.lastExecutedAt = last.length > 0 ? new Date(Math.max(...last)) : null;
  }

  const reports = buildReports(executionLogs, workflowById, at);
  return { clients, users, adAccounts, workflows, executionLogs, reports };
}

function buildReports(executionLogs: NewExecutionLog[], workflowById: Map<string, NewWorkflow>, at: (msAgo: number) => Date): NewReport[] {
  const reports: NewReport[] = [];
  // One report per successful weekly run; the newest is waiting for delivery, one delivery failed.
  for (const wfId of ["demo_wf_acme_weekly", "demo_wf_nova_weekly"]) {
    const wf = workflowById.get(wfId)!;
    const runs = executionLogs
      .filter((e) => e.workflowId === wfId && e.status === "SUCCESS")
      .sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
    runs.forEach((run, i) => {
      const newest = i === runs.length - 1;
      const status = newest ? "GENERATED" : wfId === "demo_wf_acme_weekly" && i === runs.length - 3 ? "FAILED" : "SENT";
      const periodEnd = new Date(Date.UTC(run.startedAt!.getUTCFullYear(), run.startedAt!.getUTCMonth(), run.startedAt!.getUTCDate()));
      const periodStart = new Date(periodEnd.getTime() - 7 * DAY);
      const createdAt = run.completedAt!;
      const recipients = (wf.config as { recipients?: string[] }).recipients ?? [];
      const spend = 1000 + ((i * 379) % 900);
      reports.push({
        id: `${run.id!.replace("demo_exec_", "demo_report_")}`,
        title: `${wf.name} — week of ${periodStart.toISOString().slice(0, 10)}`,
        type: "WEEKLY_STORYTELLING",
        status,
        periodStart,
        periodEnd,
        content: `# ${wf.name}\n\nSpend ${spend} ${wf.clientId === DEMO_CLIENT_IDS.acme ? "USD" : "EUR"}; ROAS ${(2 + (i % 5) * 0.3).toFixed(1)}.\n`,
        htmlContent: `<h1>${wf.name}</h1><p>Spend ${spend}</p>`,
        summary: { spend, roas: 2 + (i % 5) * 0.3, conversions: 40 + i * 3 },
        recipients,
        sentAt: status === "SENT" ? new Date(createdAt.getTime() + 2 * MINUTE) : null,
        deliveryStatus:
          status === "SENT"
            ? { provider: "smtp", delivered: recipients, failed: [] }
            : status === "FAILED"
              ? { provider: "smtp", delivered: [], failed: recipients, error: "550 mailbox unavailable" }
              : null,
        clientId: wf.clientId!,
        userId: wf.createdBy!,
        workflowId: wf.id!,
        adAccountId: wf.adAccountId ?? null,
        executionLogId: run.id!,
        createdAt,
        updatedAt: status === "SENT" ? new Date(createdAt.getTime() + 2 * MINUTE) : createdAt,
      });
    });
  }
  reports.push(
    {
      id: "demo_report_acme_monthly",
      title: "Monthly summary (draft)",
      type: "MONTHLY_SUMMARY",
      status: "DRAFT",
      periodStart: at(31 * DAY),
      periodEnd: at(1 * DAY),
      content: "# Monthly summary\n\n_Work in progress._\n",
      htmlContent: null,
      summary: null,
      recipients: ["board@acme.test"],
      sentAt: null,
      deliveryStatus: null,
      clientId: DEMO_CLIENT_IDS.acme,
      userId: "demo_user_user_acme",
      workflowId: null,
      adAccountId: null,
      executionLogId: null,
      createdAt: at(1 * DAY),
      updatedAt: at(5 * HOUR),
    },
    {
      id: "demo_report_acme_alert",
      title: "CPA up 42% on Outlet",
      type: "PERFORMANCE_ALERT",
      status: "SENT",
      periodStart: at(12 * DAY),
      periodEnd: at(11 * DAY),
      content: "# CPA alert\n\nCPA rose 42% against the 7-day average.\n",
      htmlContent: "<h1>CPA alert</h1>",
      summary: { metric: "cpa", changePercent: 42 },
      recipients: ["marketing@acme.test"],
      sentAt: at(11 * DAY - 5 * MINUTE),
      deliveryStatus: { provider: "smtp", delivered: ["marketing@acme.test"], failed: [] },
      clientId: DEMO_CLIENT_IDS.acme,
      userId: "demo_user_user_acme",
      workflowId: "demo_wf_acme_alerts",
      adAccountId: "demo_adacct_acme_outlet",
      executionLogId: null,
      createdAt: at(11 * DAY),
      updatedAt: at(11 * DAY - 5 * MINUTE),
    },
    {
      id: "demo_report_nova_budget",
      title: "Budget recommendation (draft)",
      type: "BUDGET_RECOMMENDATION",
      status: "DRAFT",
      periodStart: at(14 * DAY),
      periodEnd: at(0),
      content: "# Budget\n\nShift 10% from prospecting to retargeting.\n",
      htmlContent: null,
      summary: null,
      recipients: [],
      sentAt: null,
      deliveryStatus: null,
      clientId: DEMO_CLIENT_IDS.nova,
      userId: "demo_user_user_nova",
      workflowId: null,
      adAccountId: "demo_adacct_nova_main",
      executionLogId: null,
      createdAt: at(2 * HOUR),
      updatedAt: at(2 * HOUR),
    },
  );
  return reports;
}

function adAccount(
  t: number,
  id: string,
  metaAdAccountId: string,
  name: string,
  clientId: string,
  fields: Partial<NewAdAccount> & { accessToken: string },
): NewAdAccount {
  return {
    id,
    metaAdAccountId,
    name,
    clientId,
    tokenExpiresAt: null,
    businessId: null,
    currency: "USD",
    timezone: "America/Mexico_City",
    status: "ACTIVE",
    apiCallsUsed: 0,
    apiCallsLimit: 200,
    rateLimitResetAt: null,
    createdAt: new Date(t - 100 * DAY),
    updatedAt: new Date(t - DAY),
    lastSyncAt: null,
    ...fields,
  };
}

function workflow(
  t: number,
  id: string,
  clientId: string,
  name: string,
  type: NewWorkflow["type"],
  status: NewWorkflow["status"],
  fields: Partial<NewWorkflow> & { createdBy: string },
): NewWorkflow {
  return {
    id,
    name,
    description: null,
    type,
    status,
    n8nWorkflowId: null,
    n8nWebhookUrl: fields.n8nWorkflowId ? `https://n8n.example.test/webhook/${fields.n8nWorkflowId}` : null,
    schedule: null,
    timezone: "America/Mexico_City",
    config: {},
    clientId,
    adAccountId: null,
    createdAt: new Date(t - (HISTORY_DAYS + 1) * DAY),
    updatedAt: new Date(t - 10 * DAY),
    lastExecutedAt: null,
    ...fields,
  };
}

/** Durations, API calls and results consistent with the status (RUNNING has not completed). */
function execution(
  id: string,
  wf: NewWorkflow,
  status: ExecutionStatus,
  startedAt: Date,
  random: () => number,
  fields: { n8nExecutionId: string; executedBy: string | null },
): NewExecutionLog {
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const duration =
    status === "SUCCESS"
      ? between(4_000, 120_000)
      : status === "FAILED"
        ? between(800, 30_000)
        : status === "TIMEOUT"
          ? 300_000
          : status === "CANCELLED"
            ? between(500, 10_000)
            : null;
  const apiCallsUsed =
    status === "SUCCESS"
      ? between(6, 60)
      : status === "FAILED" || status === "TIMEOUT"
        ? between(1, 12)
        : status === "CANCELLED"
          ? between(0, 3)
          : between(0, 5);
  return {
    id,
    status,
    startedAt,
    completedAt: duration === null ? null : new Date(startedAt.getTime() + duration),
    duration,
    n8nExecutionId: fields.n8nExecutionId,
    input: { trigger: fields.executedBy ? "manual" : "schedule", adAccountId: wf.adAccountId ?? null },
    output: status === "SUCCESS" ? { rows: between(10, 500), insights: ["spend", "ctr", "cpa"] } : null,
    error:
      status === "FAILED"
        ? { message: "Meta API error: (#17) User request limit reached", code: 17 }
        : status === "TIMEOUT"
          ? { message: "Execution exceeded the 300 s timeout" }
          : status === "CANCELLED"
            ? { message: "Cancelled from the n8n editor" }
            : null,
    logs: [{ level: "info", message: "fetching insights" }, ...(status === "SUCCESS" ? [{ level: "info", message: "done" }] : [])],
    apiCallsUsed,
    dataProcessed: status === "SUCCESS" ? between(50, 5_000) : status === "RUNNING" ? null : between(0, 50),
    clientId: wf.clientId!,
    workflowId: wf.id!,
    adAccountId: wf.adAccountId ?? null,
    executedBy: fields.executedBy,
  };
}

function pick<T>(random: () => number, weighted: [T, number][]): T {
  let r = random();
  for (const [value, weight] of weighted) {
    if (r < weight) return value;
    r -= weight;
  }
  return weighted[weighted.length - 1]![0];
}

/** mulberry32: small, fast, deterministic; not for anything security-related. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
