import { and, desc, eq, sql } from "drizzle-orm";
import { apiKeys } from "../../../drizzle/schema.js";
import { generateApiKey, generateSigningSecret, signingSecretContext } from "../../auth/api-key-format.js";
import { forgetApiKeys } from "../../auth/principal.js";
import { returned } from "../../db/rows.js";
import { violatesForeignKey } from "../../db/errors.js";
import { afterCursor } from "../../db/keyset.js";
import { tenantBatch } from "../../db/tenant.js";
import { newId } from "../../../drizzle/ids.js";
import { encryptToken, keyringFor } from "../../crypto/token-crypto.js";
import { config, database } from "../../http/context.js";
import { handle } from "../../http/route.js";
import { decodeCursor, page } from "../../lib/cursor.js";
import { notFound } from "../../lib/errors.js";
import { createApiKey, listApiKeys, revokeApiKey } from "./routes.js";
import { toApiKey } from "./schema.js";

export const list = handle(listApiKeys, async (c, { scope }) => {
  const { limit, cursor } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor) : undefined;
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.clientId, scope.clientId), after ? afterCursor(apiKeys.createdAt, apiKeys.id, after, "desc") : undefined))
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
      .limit(limit + 1),
  ]);
  const { data, nextCursor } = page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
  return c.json({ data: data.map(toApiKey), nextCursor }, 200);
});

export const create = handle(createApiKey, async (c, { scope }) => {
  const body = c.req.valid("json");
  const generated = await generateApiKey();
  const id = newId();
  // The signing secret is shown once and kept sealed (request-signature.ts); it is checked, so it cannot be hashed.
  const signingSecret = body.requireSignature ? generateSigningSecret() : undefined;
  const sealedSecret = signingSecret ? await encryptToken(await keyringFor(config(c)), signingSecret, signingSecretContext(id)) : null;
  const db = database(c);
  const [rows] = await tenantBatch(db, scope, [
    db
      .insert(apiKeys)
      .values({
        id,
        signingSecret: sealedSecret,
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
  const row = returned(rows, "api key insert");
  c.get("log").set({ apiKeyCreated: row.id });
  return c.json({ data: { ...toApiKey(row), key: generated.key, ...(signingSecret ? { signingSecret } : {}) } }, 201);
});

export const revoke = handle(revokeApiKey, async (c, { scope }) => {
  const { id } = c.req.valid("param");
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
});
