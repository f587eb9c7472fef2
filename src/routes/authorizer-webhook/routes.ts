// POST /v1/webhooks/authorizer: signed by Authorizer instead of a bearer credential, so it is not a
// securedRoute; the signature check runs before the body is validated.
import { createRoute, z } from "@hono/zod-openapi";
import { verifyHexSignature } from "../../auth/signatures.js";
import { config, type AppContext } from "../../http/context.js";
import { errorResponses } from "../../http/openapi.js";
import { ApiError } from "../../lib/errors.js";
import { AuthorizerEvent, WebhookResult } from "./schema.js";

/** Runs before body validation, so nothing about an unsigned body is disclosed. */
async function signedByAuthorizer(c: AppContext, next: () => Promise<void>) {
  const raw = await c.req.text();
  if (!(await verifyHexSignature(config(c).AUTHORIZER_WEBHOOK_SECRET, raw, c.req.header("x-authorizer-signature")))) {
    throw new ApiError("unauthorized", "The webhook signature is missing or does not match the body.");
  }
  await next();
}

export const authorizerWebhook = createRoute({
  method: "post",
  path: "/v1/webhooks/authorizer",
  tags: ["Webhooks"],
  summary: "Authorizer user events (signup, login, revoke, deactivate, enable, delete)",
  description:
    "Signed by Authorizer: `X-Authorizer-Signature` is the lowercase hex HMAC-SHA256 of the raw body keyed with " +
    "`AUTHORIZER_WEBHOOK_SECRET`. Revoke, deactivate and delete stop the user's outstanding tokens at once on the " +
    "receiving isolate and within 30 seconds everywhere. Unknown events are accepted (202) and ignored.",
  middleware: [signedByAuthorizer] as const,
  request: {
    // Checked by signedByAuthorizer before anything else; declared here for the document.
    headers: z.object({
      "x-authorizer-signature": z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/)
        .openapi({
          description: "Hex HMAC-SHA256 of the raw body.",
          example: "5d41402abc4b2a76b9719d911017c592a7e1e0c1f34f5d7b2e6f0a9c8d7e6f5a",
        }),
    }),
    body: { required: true, content: { "application/json": { schema: AuthorizerEvent } } },
  },
  responses: {
    200: { description: "Handled (see `outcome`).", content: { "application/json": { schema: WebhookResult } } },
    202: { description: "Event not handled by this service; ignored.", content: { "application/json": { schema: WebhookResult } } },
    ...errorResponses(400, 401, 413, 415, 503),
  },
});
