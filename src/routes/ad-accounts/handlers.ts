import { and, desc, eq, getTableColumns, sql } from "drizzle-orm";
import { adAccounts, clients } from "../../../drizzle/schema.js";
import { newId } from "../../../drizzle/ids.js";
import { decryptToken, encryptToken, keyringFor } from "../../crypto/token-crypto.js";
import { limitReached, limitUsage, lockClient, underLimit } from "../../db/plan-limits.js";
import { afterCursor } from "../../db/keyset.js";
import { tenantBatch } from "../../db/tenant.js";
import { config, database } from "../../http/context.js";
import { handle } from "../../http/route.js";
import { decodeCursor, page } from "../../lib/cursor.js";
import { conflict, notFound } from "../../lib/errors.js";
import { createAdAccount, deleteAdAccount, getAdAccount, getAdAccountCredentials, listAdAccounts, updateAdAccount } from "./routes.js";
import { toAdAccount } from "./schema.js";

// What normal reads select: every column but the token (its ciphertext never leaves the database).
const { accessToken, ...withoutToken } = getTableColumns(adAccounts);
const publicColumns = { ...withoutToken, hasAccessToken: sql<boolean>`(${accessToken} <> '')`.mapWith(Boolean) };

const NOT_FOUND = "No ad account with this id.";
const utcNow = sql`(now() at time zone 'utc')`;

export const list = handle(listAdAccounts, async (c, { scope }) => {
  const { limit, cursor, status } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor) : undefined;
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .select(publicColumns)
      .from(adAccounts)
      .where(
        and(
          eq(adAccounts.clientId, scope.clientId),
          status ? eq(adAccounts.status, status) : undefined,
          after ? afterCursor(adAccounts.createdAt, adAccounts.id, after, "desc") : undefined,
        ),
      )
      .orderBy(desc(adAccounts.createdAt), desc(adAccounts.id))
      .limit(limit + 1),
  ]);
  const { data, nextCursor } = page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
  return c.json({ data: data.map(toAdAccount), nextCursor }, 200);
});

export const create = handle(createAdAccount, async (c, { scope }) => {
  const body = c.req.valid("json");
  const settings = config(c);
  const clientId = scope.clientId;
  // The id is made here because it is the ciphertext's associated data.
  const id = newId();
  const sealed = await encryptToken(await keyringFor(settings), body.accessToken, id);
  const db = database(c);
  // INSERT … SELECT FROM clients: a row only while the client is under maxAdAccounts (the lock
  // serializes concurrent creations); a metaAdAccountId already taken inserts nothing either.
  const [, inserted, usage] = await tenantBatch(db, scope, [
    lockClient(db, clientId),
    db
      .insert(adAccounts)
      .select(
        db
          .select({
            id: sql`${id}`.as("id"),
            metaAdAccountId: sql`${body.metaAdAccountId}`.as("metaAdAccountId"),
            accessToken: sql`${sealed}`.as("accessToken"),
            tokenExpiresAt: sql`${body.tokenExpiresAt ?? null}::timestamptz at time zone 'utc'`.as("tokenExpiresAt"),
            businessId: sql`${body.businessId ?? null}::text`.as("businessId"),
            name: sql`${body.name}`.as("name"),
            currency: sql`${body.currency ?? "USD"}`.as("currency"),
            timezone: sql`${body.timezone ?? "America/Mexico_City"}`.as("timezone"),
            status: sql`'ACTIVE'::"AdAccountStatus"`.as("status"),
            apiCallsUsed: sql`0`.as("apiCallsUsed"),
            apiCallsLimit: sql`${body.apiCallsLimit ?? settings.META_API_RATE_LIMIT}::integer`.as("apiCallsLimit"),
            rateLimitResetAt: sql`null::timestamp(3)`.as("rateLimitResetAt"),
            clientId: clients.id,
            createdAt: sql`${utcNow}`.as("createdAt"),
            updatedAt: sql`${utcNow}`.as("updatedAt"),
            lastSyncAt: sql`null::timestamp(3)`.as("lastSyncAt"),
          })
          .from(clients)
          .where(underLimit(db, "adAccounts", clientId)),
      )
      .onConflictDoNothing({ target: adAccounts.metaAdAccountId })
      .returning(publicColumns),
    limitUsage(db, "adAccounts", clientId),
  ]);
  const row = inserted[0];
  if (!row) {
    const counts = usage[0];
    // Only a SUPER_ADMIN can name a client that does not exist (?clientId=): answer like any missing id.
    if (!counts) throw notFound("No client with this id.");
    if (counts.current >= counts.max) throw limitReached("adAccounts", counts);
    throw conflict("This Meta ad account is already connected.", {
      details: [{ path: "metaAdAccountId", message: `${body.metaAdAccountId} is already connected` }],
    });
  }
  c.get("log").set({ adAccountCreated: row.id });
  return c.json({ data: toAdAccount(row) }, 201);
});

export const read = handle(getAdAccount, async (c, { scope }) => {
  const { id } = c.req.valid("param");
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .select(publicColumns)
      .from(adAccounts)
      .where(and(eq(adAccounts.id, id), eq(adAccounts.clientId, scope.clientId))),
  ]);
  const row = rows[0];
  if (!row) throw notFound(NOT_FOUND);
  return c.json({ data: toAdAccount(row) }, 200);
});

export const update = handle(updateAdAccount, async (c, { scope }) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const sealed = body.accessToken === undefined ? undefined : await encryptToken(await keyringFor(config(c)), body.accessToken, id);
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .update(adAccounts)
      .set({
        name: body.name,
        accessToken: sealed,
        tokenExpiresAt: body.tokenExpiresAt === undefined ? undefined : body.tokenExpiresAt === null ? null : new Date(body.tokenExpiresAt),
        businessId: body.businessId,
        currency: body.currency,
        timezone: body.timezone,
        apiCallsLimit: body.apiCallsLimit,
        status: body.status,
        updatedAt: new Date(),
      })
      .where(and(eq(adAccounts.id, id), eq(adAccounts.clientId, scope.clientId)))
      .returning(publicColumns),
  ]);
  const row = rows[0];
  if (!row) throw notFound(NOT_FOUND);
  c.get("log").set({ adAccountUpdated: row.id, ...(sealed ? { adAccountTokenReplaced: true } : {}) });
  return c.json({ data: toAdAccount(row) }, 200);
});

export const remove = handle(deleteAdAccount, async (c, { scope }) => {
  const { id } = c.req.valid("param");
  const db = database(c);
  // The seed's foreign keys set adAccountId to null on workflows, executions and reports.
  const [rows] = await tenantBatch(db, scope, [
    db
      .delete(adAccounts)
      .where(and(eq(adAccounts.id, id), eq(adAccounts.clientId, scope.clientId)))
      .returning(publicColumns),
  ]);
  const row = rows[0];
  if (!row) throw notFound(NOT_FOUND);
  c.get("log").set({ adAccountDeleted: row.id });
  return c.json({ data: toAdAccount(row) }, 200);
});

export const credentials = handle(getAdAccountCredentials, async (c, { scope, principal }) => {
  const { id } = c.req.valid("param");
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .select({ id: adAccounts.id, metaAdAccountId: adAccounts.metaAdAccountId, accessToken, tokenExpiresAt: adAccounts.tokenExpiresAt })
      .from(adAccounts)
      .where(and(eq(adAccounts.id, id), eq(adAccounts.clientId, scope.clientId))),
  ]);
  const row = rows[0];
  if (!row) throw notFound(NOT_FOUND);
  const token = await decryptToken(await keyringFor(config(c)), row.accessToken, row.id);
  // An audit trail of who read which credentials (never the token itself).
  c.get("log").set({
    adAccountCredentialsRead: row.id,
    readBy: principal.kind === "user" ? { userId: principal.userId } : { apiKeyId: principal.keyId },
  });
  c.header("Cache-Control", "no-store");
  return c.json(
    { data: { metaAdAccountId: row.metaAdAccountId, accessToken: token, tokenExpiresAt: row.tokenExpiresAt?.toISOString() ?? null } },
    200,
  );
});
