// Plan limits (maxUsers, maxWorkflows, maxAdAccounts) enforced atomically, in the same single batch
// as the insert: the batch first locks the client row (FOR UPDATE), so concurrent creations for one
// tenant queue behind each other; the INSERT … SELECT then only produces a row while the count is
// under the maximum (read committed: each statement sees what the previous lock holder committed);
// the last statement reads the count and the maximum for the 409's details.
//
//   const [, inserted, usage] = await tenantBatch(db, scope, [
//     lockClient(db, clientId),
//     db.insert(workflows).select(db.select({...}).from(clients).where(underLimit("workflows", clientId))).returning(),
//     limitUsage(db, "workflows", clientId),
//   ]);
//   if (!inserted[0]) throw limitReached("workflows", usage[0]);
import { and, count, eq, ne, sql, type SQL } from "drizzle-orm";
import { adAccounts, clients, users, workflows } from "../../drizzle/schema.js";
import { ApiError } from "../lib/errors.js";
import type { Database } from "./client.js";

export type LimitedResource = "users" | "workflows" | "adAccounts";

/** What counts against each limit (API decision: users that are not INACTIVE, every workflow and ad account). */
function counted(db: Database, resource: LimitedResource, clientId: SQL | string) {
  switch (resource) {
    case "users":
      return db
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.clientId, clientId), ne(users.status, "INACTIVE")));
    case "workflows":
      return db.select({ n: count() }).from(workflows).where(eq(workflows.clientId, clientId));
    case "adAccounts":
      return db.select({ n: count() }).from(adAccounts).where(eq(adAccounts.clientId, clientId));
  }
}

const maxColumn = {
  users: clients.maxUsers,
  workflows: clients.maxWorkflows,
  adAccounts: clients.maxAdAccounts,
} as const;

/** First statement of a limited insert's batch: serializes creations within one tenant. */
export function lockClient(db: Database, clientId: string) {
  return db.execute(sql`select 1 from ${clients} where ${clients.id} = ${clientId} for update`);
}

/** WHERE condition on `clients` for an INSERT … SELECT … FROM clients: the tenant is under its limit. */
export function underLimit(db: Database, resource: LimitedResource, clientId: string): SQL {
  return sql`${clients.id} = ${clientId} and (${counted(db, resource, clientId)}) < ${maxColumn[resource]}`;
}

/** Last statement of the batch: the current count and the maximum, for the 409's details. */
export function limitUsage(db: Database, resource: LimitedResource, clientId: string) {
  return db
    .select({
      current: sql<number>`(${counted(db, resource, clientId)})`.mapWith(Number),
      max: maxColumn[resource],
    })
    .from(clients)
    .where(eq(clients.id, clientId));
}

const LABEL: Record<LimitedResource, string> = { users: "users", workflows: "workflows", adAccounts: "ad accounts" };

/** 409 `limit_reached` with the resource, current and maximum counts in `details`. */
export function limitReached(resource: LimitedResource, usage: { current: number; max: number } | undefined): ApiError {
  const current = usage?.current ?? 0;
  const max = usage?.max ?? 0;
  return new ApiError("limit_reached", `This client's plan allows ${max} ${LABEL[resource]}; it has ${current}.`, {
    details: [
      { path: "resource", message: resource },
      { path: "current", message: String(current) },
      { path: "max", message: String(max) },
    ],
  });
}
