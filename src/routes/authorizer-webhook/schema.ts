import { z } from "@hono/zod-openapi";

/** Authorizer's webhook body; unknown fields are ignored (Authorizer adds fields across versions). */
export const AuthorizerEvent = z
  .object({
    webhook_id: z.string().optional(),
    event_name: z.string().min(1).max(100),
    event_description: z.string().optional(),
    user: z
      .object({
        id: z.string().min(1).max(200),
        email: z.email().max(320).optional().nullable(),
        email_verified: z.boolean().optional(),
        given_name: z.string().max(200).optional().nullable(),
        family_name: z.string().max(200).optional().nullable(),
        /** Unix seconds; orders events so a replayed old one cannot undo a newer change. */
        updated_at: z.number().int().nonnegative().optional().nullable(),
      })
      .loose(),
  })
  .loose()
  .openapi("AuthorizerEvent", {
    example: {
      webhook_id: "8d3c1c2e-0a7b-4f4e-9f38-6b3f8c1d2e4a",
      event_name: "user.access_revoked",
      event_description: "User access revoked",
      user: { id: "auth-demo-admin-acme", email: "admin@acme.test", email_verified: true, updated_at: 1795686000 },
    },
  });

export type AuthorizerEvent = z.infer<typeof AuthorizerEvent>;

export const WebhookResult = z
  .object({
    data: z.object({
      event: z.string(),
      outcome: z.enum(["applied", "unchanged", "stale", "unknown_user", "ignored"]),
      userId: z.string().nullable(),
    }),
  })
  .openapi("WebhookResult", {
    example: { data: { event: "user.access_revoked", outcome: "applied", userId: "demo_user_user_acme" } },
  });
