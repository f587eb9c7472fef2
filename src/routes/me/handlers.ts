import { and, count, eq, ne, sql } from "drizzle-orm";
import { adAccounts, clients, users, workflows } from "../../../drizzle/schema.js";
import type { Database } from "../../db/client.js";
import { tenantBatch } from "../../db/tenant.js";
import { database } from "../../http/context.js";
import { handle } from "../../http/route.js";
import { internal, notFound } from "../../lib/errors.js";
import { toClient } from "../clients/schema.js";
import { toUser } from "../users/schema.js";
import { getMe } from "./routes.js";

/** The caller's users row (row-level security scopes it to the caller). */
export const selfRow = (db: Database, userId: string) => db.select().from(users).where(eq(users.id, userId));

/** The client with its three usage counts, in one statement. */
export const clientWithUsage = (db: Database, clientId: string) =>
  db
    .select({
      client: clients,
      users: sql<number>`(${db
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.clientId, clients.id), ne(users.status, "INACTIVE")))})`.mapWith(Number),
      workflows: sql<number>`(${db.select({ n: count() }).from(workflows).where(eq(workflows.clientId, clients.id))})`.mapWith(Number),
      adAccounts: sql<number>`(${db.select({ n: count() }).from(adAccounts).where(eq(adAccounts.clientId, clients.id))})`.mapWith(Number),
    })
    .from(clients)
    .where(eq(clients.id, clientId));

/** One round trip: the caller's row, the client and the three usage counts in one batch. */
export const me = handle(getMe, async (c, { principal, tenantId: clientId, scope }) => {
  const db = database(c);

  if (!clientId) {
    const [self] = await tenantBatch(db, scope, [selfRow(db, principal.userId)]);
    if (!self[0]) throw internal(new Error("authenticated user row vanished"));
    return c.json({ data: { user: toUser(self[0]), client: null, limits: null } }, 200);
  }

  const [self, tenant] = await tenantBatch(db, scope, [selfRow(db, principal.userId), clientWithUsage(db, clientId)]);
  if (!self[0]) throw internal(new Error("authenticated user row vanished"));
  const row = tenant[0];
  if (!row) throw notFound("No client with this id.");
  return c.json(
    {
      data: {
        user: toUser(self[0]),
        client: toClient(row.client),
        limits: {
          users: { current: row.users, max: row.client.maxUsers },
          workflows: { current: row.workflows, max: row.client.maxWorkflows },
          adAccounts: { current: row.adAccounts, max: row.client.maxAdAccounts },
        },
      },
    },
    200,
  );
});
