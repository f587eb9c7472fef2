import { and, count, desc, eq, gte, sql, type SQL } from "drizzle-orm";
import { clients, executionLogs } from "../../../drizzle/schema.js";
import { newId } from "../../../drizzle/ids.js";
import { forgetClient, type UserPrincipal } from "../../auth/principal.js";
import { violatesUnique } from "../../db/errors.js";
import { limitUsage } from "../../db/plan-limits.js";
import { returned } from "../../db/rows.js";
import { afterCursor } from "../../db/keyset.js";
import { crossTenantBatch, tenantBatch, type TenantScope } from "../../db/tenant.js";
import { crossTenantDatabase, database } from "../../http/context.js";
import { handle } from "../../http/route.js";
import { decodeCursor, page } from "../../lib/cursor.js";
import { ApiError, conflict, notFound } from "../../lib/errors.js";
import { createClient, getClient, getClientUsage, listClients, updateClient } from "./routes.js";
import { ClientUsage, PLAN_FIELDS, toClient } from "./schema.js";

const noSuchClient = () => notFound("No client with this id.");

/**
 * /v1/clients/{id} names its tenant in the path. A member reaches only their own client (any other
 * id is answered like a missing one); a SUPER_ADMIN reaches any, and the path id is the tenant of
 * the batch. A SUPER_ADMIN's ?clientId= naming a different client is a contradiction: 404 too.
 */
function pathScope(principal: UserPrincipal, tenantId: string | null, id: string): TenantScope & { clientId: string } {
  const reachable = principal.role === "SUPER_ADMIN" ? tenantId === null || tenantId === id : tenantId === id;
  if (!reachable) throw noSuchClient();
  return { clientId: id, userId: principal.userId };
}

/** A slug or domain taken by another client (unique indexes see every tenant). */
function rethrowTaken(err: unknown): never {
  for (const field of ["slug", "domain"] as const) {
    if (violatesUnique(err, `clients_${field}_key`)) {
      throw conflict(`Another client already uses this ${field}.`, { details: [{ path: field, message: "Already taken" }] });
    }
  }
  throw err;
}

const instant = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : new Date(value));

/** settings merged one level deep: given keys replace, null removes, absent keys stay. */
function mergedSettings(patch: Record<string, unknown>): SQL {
  const kept = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null));
  const removed = Object.keys(patch).filter((k) => patch[k] === null);
  const merged = sql`(coalesce(${clients.settings}, '{}'::jsonb) || ${JSON.stringify(kept)}::jsonb)`;
  if (removed.length === 0) return merged;
  return sql`${merged} - array[${sql.join(
    removed.map((k) => sql`${k}`),
    sql`, `,
  )}]::text[]`;
}

export const list = handle(listClients, async (c, { principal, tenantId, scope }) => {
  const { limit, cursor, status, tier } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor) : undefined;
  const everyClient = principal.role === "SUPER_ADMIN" && tenantId === null;
  // A person not assigned to a client yet has none to list.
  if (!everyClient && tenantId === null) return c.json({ data: [], nextCursor: null }, 200);
  // Every client is a cross-tenant read: only the separately configured cross-tenant role can make it.
  const db = everyClient ? crossTenantDatabase(c) : database(c);
  const query = db
    .select()
    .from(clients)
    .where(
      and(
        tenantId === null ? undefined : eq(clients.id, tenantId),
        status ? eq(clients.status, status) : undefined,
        tier ? eq(clients.tier, tier) : undefined,
        after ? afterCursor(clients.createdAt, clients.id, after, "desc") : undefined,
      ),
    )
    .orderBy(desc(clients.createdAt), desc(clients.id))
    .limit(limit + 1);
  const [rows] = everyClient
    ? await crossTenantBatch(db, { reason: "SUPER_ADMIN lists every client", requestId: c.get("requestId"), actor: principal.userId }, [
        query,
      ])
    : await tenantBatch(db, scope, [query]);
  const { data, nextCursor } = page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
  return c.json({ data: data.map(toClient), nextCursor }, 200);
});

export const create = handle(createClient, async (c, { principal }) => {
  const body = c.req.valid("json");
  const id = newId();
  const db = database(c);
  // The new client is this batch's tenant, so row-level security lets its row in.
  const [rows] = await tenantBatch(db, { clientId: id, userId: principal.userId }, [
    db
      .insert(clients)
      .values({
        id,
        name: body.name,
        slug: body.slug,
        domain: body.domain ?? null,
        tier: body.tier,
        status: body.status,
        settings: body.settings,
        maxUsers: body.maxUsers,
        maxWorkflows: body.maxWorkflows,
        maxAdAccounts: body.maxAdAccounts,
        trialEndsAt: instant(body.trialEndsAt),
        createdAt: new Date(),
        updatedAt: new Date(),
      })
      .returning(),
  ]).catch(rethrowTaken);
  const row = returned(rows, "client insert");
  c.get("log").set({ clientCreated: row.id });
  return c.json({ data: toClient(row) }, 201);
});

export const read = handle(getClient, async (c, { principal, tenantId }) => {
  const scope = pathScope(principal, tenantId, c.req.valid("param").id);
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [db.select().from(clients).where(eq(clients.id, scope.clientId))]);
  const row = rows[0];
  if (!row) throw noSuchClient();
  return c.json({ data: toClient(row) }, 200);
});

export const update = handle(updateClient, async (c, { principal, tenantId }) => {
  const scope = pathScope(principal, tenantId, c.req.valid("param").id);
  const body = c.req.valid("json");
  if (principal.role !== "SUPER_ADMIN") {
    const named = PLAN_FIELDS.filter((field) => body[field] !== undefined);
    if (named.length > 0) {
      throw new ApiError("forbidden", `Only a SUPER_ADMIN changes the plan (${named.join(", ")}).`, {
        details: named.map((path) => ({ path, message: "SUPER_ADMIN only" })),
      });
    }
  }
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .update(clients)
      .set({
        name: body.name,
        domain: body.domain,
        settings: body.settings ? mergedSettings(body.settings) : undefined,
        branding: body.branding,
        tier: body.tier,
        status: body.status,
        maxUsers: body.maxUsers,
        maxWorkflows: body.maxWorkflows,
        maxAdAccounts: body.maxAdAccounts,
        trialEndsAt: instant(body.trialEndsAt),
        subscriptionEndsAt: instant(body.subscriptionEndsAt),
        updatedAt: new Date(),
      })
      .where(eq(clients.id, scope.clientId))
      .returning(),
  ]).catch(rethrowTaken);
  const row = rows[0];
  if (!row) throw noSuchClient();
  // Cached principals carry the client's status (read-only when SUSPENDED/CANCELLED): refresh them now.
  if (body.status !== undefined) forgetClient(row.id);
  return c.json({ data: toClient(row) }, 200);
});

export const usage = handle(getClientUsage, async (c, { principal, tenantId }) => {
  const scope = pathScope(principal, tenantId, c.req.valid("param").id);
  const id = scope.clientId;
  const db = database(c);
  const since = sql`(now() at time zone 'utc') - interval '30 days'`;
  const [users, workflows, adAccounts, executions] = await tenantBatch(db, scope, [
    limitUsage(db, "users", id),
    limitUsage(db, "workflows", id),
    limitUsage(db, "adAccounts", id),
    db
      .select({
        total: count(),
        successful: sql<number>`count(*) filter (where ${executionLogs.status} = 'SUCCESS')`.mapWith(Number),
        failed: sql<number>`count(*) filter (where ${executionLogs.status} in ('FAILED', 'TIMEOUT'))`.mapWith(Number),
        apiCalls: sql<number>`coalesce(sum(${executionLogs.apiCallsUsed}), 0)`.mapWith(Number),
      })
      .from(executionLogs)
      .where(and(eq(executionLogs.clientId, id), gte(executionLogs.startedAt, since))),
  ]);
  if (!users[0] || !workflows[0] || !adAccounts[0]) throw noSuchClient();
  const runs = executions[0];
  return c.json(
    {
      data: ClientUsage.parse({
        users: users[0],
        workflows: workflows[0],
        adAccounts: adAccounts[0],
        executions: { last30Days: runs?.total ?? 0, successful: runs?.successful ?? 0, failed: runs?.failed ?? 0 },
        apiCalls: { last30Days: runs?.apiCalls ?? 0 },
      }),
    },
    200,
  );
});
