import { z } from "@hono/zod-openapi";
import { API_KEY_SCOPES } from "../../auth/policy.js";
import { Timestamp, iso } from "../../http/schemas.js";
import type { ApiKey } from "../../../drizzle/schema.js";

export const Scope = z.enum(API_KEY_SCOPES);

export const ApiKeySchema = z
  .object({
    id: z.string(),
    clientId: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: "Non-secret part of the key, shown so keys can be told apart.", example: "k3f9q2mz" }),
    scopes: z.array(Scope),
    createdBy: z.string().nullable(),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    expiresAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    signatureRequired: z.boolean().openapi({
      description: "When true, every request made with this key must carry X-Timestamp and X-Signature (see the n8n guide).",
    }),
  })
  .openapi("ApiKey", {
    example: {
      id: "cm3xa1b2c0000k3f9q2mzabcd",
      clientId: "demo_client_acme",
      name: "n8n production",
      prefix: "k3f9q2mz",
      scopes: ["executions:write", "quota:use"],
      createdBy: "demo_user_acme_admin",
      createdAt: "2026-11-26T09:30:00.000Z",
      lastUsedAt: null,
      expiresAt: null,
      revokedAt: null,
      signatureRequired: false,
    },
  });

export const CreateApiKey = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z
      .array(Scope)
      .min(1)
      .refine((s) => new Set(s).size === s.length, "Scopes must not repeat"),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .refine((v) => !v || Date.parse(v) > Date.now(), "Must be in the future"),
    requireSignature: z.boolean().default(false).openapi({
      description:
        "Require every request made with this key to be signed: X-Timestamp (Unix seconds, within 300 s) and X-Signature (hex HMAC-SHA256 of `<X-Timestamp>.<raw body>` with the signing secret returned once at creation). A signature is accepted once.",
    }),
  })
  .strict()
  .openapi("CreateApiKey", { example: { name: "n8n production", scopes: ["executions:write", "quota:use"], requireSignature: false } });

export const CreatedApiKey = ApiKeySchema.extend({
  key: z.string().openapi({
    description: "The key in clear. Shown once: only its hash is stored.",
    example: "apk_k3f9q2mz_Vh2x8Qm4n1JpL0sTz7cB9dE3fG5hK6jR8uW2yA4bC1dE",
  }),
  signingSecret: z.string().optional().openapi({
    description: "Only for a key created with requireSignature: the HMAC secret its requests are signed with. Shown once.",
    example: "sig_Qm4n1JpL0sTz7cB9dE3fG5hK6jR8uW2yA4bC1dEVh2x8",
  }),
}).openapi("CreatedApiKey");

export function toApiKey(row: ApiKey): z.infer<typeof ApiKeySchema> {
  return ApiKeySchema.parse({
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdBy: row.createdBy,
    createdAt: iso(row.createdAt),
    lastUsedAt: iso(row.lastUsedAt),
    expiresAt: iso(row.expiresAt),
    revokedAt: iso(row.revokedAt),
    signatureRequired: row.signingSecret !== null,
  });
}
