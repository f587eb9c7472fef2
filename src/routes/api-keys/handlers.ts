import type { RouteHandler } from "@hono/zod-openapi";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { apiKeys } from "../../../drizzle/schema.js";
import { generateApiKey } from "../../auth/api-key-format.js";
import { forgetApiKeys, type Principal } from "../../auth/principal.js";
import { violatesForeignKey } from "../../db/errors.js";
import { tenantBatch } from "../../db/tenant.js";
import { database, type AppContext, type AppEnv } from "../../http/context.js";
import { decodeCursor, page } from "../../lib/cursor.js";
import { notFound } from "../../lib/errors.js";
import type { createApiKey, listApiKeys, revokeApiKey } from "./routes.js";
import { toApiKey } from "./schema.js";

function scopeOf(c: AppContext) {
  const principal: Principal = c.get("principal");
  return { clientId: c.get("tenantId")!, userId: principal.kind === "user" ? principal.userId : null };
}

export const list: RouteHandler<typeof listApiKeys, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const scope = scopeOf(c);
  const after = cursor ? decodeCursor(cursor) : undefined;
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .select()
      .from(apiKeys)
      .where(
        and(
          eq(apiKeys.clientId, scope.clientId),
          after ? or(lt(apiKeys.createdAt, after.at), and(eq(apiKeys.createdAt, after.at), lt(apiKeys.id, after.id))) : undefined,
        ),
      )
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
      .limit(limit + 1),
  ]);
  const { data, nextCursor } = page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
  return c.json({ data: data.map(toApiKey), nextCursor }, 200);
};

export const create: RouteHandler<typeof createApiKey, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const scope = scopeOf(c);
  const generated = await generateApiKey();
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .insert(apiKeys)
      .values({
        clientId: scope.clientId,
        name: body.name,
        prefix: generated.prefix,
        keyHash: generated.hash,
        scopes: body.scopes,
        createdBy: scope.userId,
        expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
      })
      .returning(),
  ]).catch((err: unknown) => {
    // Only a SUPER_ADMIN can name a client that does not exist (?clientId=): answer like any missing id.
    if (violatesForeignKey(err, "api_keys_clientId_fkey")) throw notFound("No client with this id.");
    throw err;
  });
  c.get("log").set({ apiKeyCreated: rows[0]!.id });
  return c.json({ data: { ...toApiKey(rows[0]!), key: generated.key } }, 201);
};

export const revoke: RouteHandler<typeof revokeApiKey, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const scope = scopeOf(c);
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .update(apiKeys)
      // Keep the first revocation time when revoked again.
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, CURRENT_TIMESTAMP AT TIME ZONE 'UTC')`, updatedAt: new Date() })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.clientId, scope.clientId)))
      .returning(),
  ]);
  const row = rows[0];
  if (!row) throw notFound("No API key with this id.");
  forgetApiKeys({ keyId: row.id });
  return c.json({ data: toApiKey(row) }, 200);
};
