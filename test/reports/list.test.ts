import { beforeAll, describe, expect, it } from "vitest";
import { call, expectEnvelope } from "../support/api.js";
import { createReport, createWorkflow, type ReportFixture } from "../support/activity-fixtures.js";
import { api } from "../support/client.js";
import { bearer, createApiKey, createTenant, type TestTenant } from "../support/fixtures.js";

const T0 = Date.parse("2026-09-01T00:00:00.000Z");
const day = (n: number) => new Date(T0 + n * 86_400_000);

interface Arranged extends Required<Pick<ReportFixture, "status" | "type" | "periodStart" | "periodEnd" | "createdAt">> {
  id: string;
  workflowId: string | null;
}

let acme: TestTenant;
let other: TestTenant;
let workflow: string;
let arranged: Arranged[];

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const oldestFirst = (rows: Arranged[]) =>
  [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byId(a.id, b.id)).map((r) => r.id);
const newestFirst = (rows: Arranged[]) => oldestFirst(rows).reverse();

async function listAll(token: string, query: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const res = await api.v1.reports.$get({ query: { ...query, ...(cursor ? { cursor } : {}) } }, { headers: bearer(token) });
    if (res.status !== 200) throw new Error(`list answered ${res.status}`);
    const body = await res.json();
    ids.push(...body.data.map((r) => r.id));
    if (!body.nextCursor) return ids;
    cursor = body.nextCursor;
  }
  throw new Error("paging did not end");
}

beforeAll(async () => {
  [acme, other] = await Promise.all([createTenant(), createTenant()]);
  workflow = await createWorkflow(acme.clientId, acme.user.id);
  const statuses = ["GENERATED", "SENT", "DRAFT", "FAILED"] as const;
  const types = ["WEEKLY_STORYTELLING", "MONTHLY_SUMMARY", "CUSTOM"] as const;
  // 24 reports, three created at each instant (ties on createdAt); periods one week long, a day apart.
  const fixtures = Array.from({ length: 24 }, (_, i) => ({
    status: statuses[i % 4]!,
    type: types[i % 3]!,
    periodStart: day(i),
    periodEnd: day(i + 7),
    createdAt: new Date(day(40).getTime() + Math.floor(i / 3) * 1000),
    workflowId: i % 2 === 0 ? workflow : null,
  }));
  const ids = await Promise.all(fixtures.map((f) => createReport(acme.clientId, acme.user.id, f)));
  arranged = fixtures.map((f, i) => ({ ...f, id: ids[i]! }));
  await createReport(other.clientId, other.user.id, { createdAt: day(40) });
});

describe("GET /v1/reports", () => {
  it("lists newest first by createdAt, the id breaking ties, across pages without gaps or repeats", async () => {
    const ids = await listAll(acme.viewer.token, { limit: "5" });
    expect(ids).toEqual(newestFirst(arranged));
  });

  it("lists oldest first with order=asc, paging the same way", async () => {
    const ids = await listAll(acme.viewer.token, { limit: "4", order: "asc" });
    expect(ids).toEqual(oldestFirst(arranged));
  });

  it("serves the delivery server's queue: GENERATED reports oldest first, to an API key with reports:read", async () => {
    const key = await createApiKey(acme.clientId, ["reports:read"]);
    const ids = await listAll(key.key, { status: "GENERATED", order: "asc", limit: "2" });
    expect(ids).toEqual(oldestFirst(arranged.filter((r) => r.status === "GENERATED")));
  });

  it("leaves content and htmlContent out of list items", async () => {
    const res = await call("/v1/reports?limit=1", { headers: bearer(acme.viewer.token) });
    expect(res.status).toBe(200);
    expect(res.body.data[0]).not.toHaveProperty("content");
    expect(res.body.data[0]).not.toHaveProperty("htmlContent");
    expect(res.body.data[0]).toMatchObject({ clientId: acme.clientId, recipients: ["team@tenant.test"] });
  });

  it("filters by status, type and workflow", async () => {
    const token = acme.viewer.token;
    expect(await listAll(token, { status: "DRAFT" })).toEqual(newestFirst(arranged.filter((r) => r.status === "DRAFT")));
    expect(await listAll(token, { type: "MONTHLY_SUMMARY", limit: "3" })).toEqual(
      newestFirst(arranged.filter((r) => r.type === "MONTHLY_SUMMARY")),
    );
    expect(await listAll(token, { workflowId: workflow, limit: "5" })).toEqual(
      newestFirst(arranged.filter((r) => r.workflowId === workflow)),
    );
  });

  it("keeps reports whose period starts at or after periodStart and ends at or before periodEnd", async () => {
    const ids = await listAll(acme.viewer.token, { periodStart: day(5).toISOString(), periodEnd: day(17).toISOString() });
    const expected = arranged.filter((r) => r.periodStart >= day(5) && r.periodEnd <= day(17));
    expect(expected.map((r) => r.periodStart)).toEqual([5, 6, 7, 8, 9, 10].map(day));
    expect(ids).toEqual(newestFirst(expected));
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=500", "limit"],
    ["cursor=%%%", "cursor"],
    ["order=up", "order"],
    ["status=sent", "status"],
    ["type=WEEKLY", "type"],
    ["periodStart=2026-11", "periodStart"],
    ["periodEnd=tomorrow", "periodEnd"],
  ])("answers 400 naming the parameter for %s", async (query, field) => {
    const res = await call(`/v1/reports?${query}`, { headers: bearer(acme.viewer.token) });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "invalid_request");
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });
});
