// Shared OpenAPI pieces: the error envelope every route can answer with, and the validation hook
// that turns schema failures into 400 `invalid_request` with one detail per problem.
import { z, type Hook } from "@hono/zod-openapi";
import { invalidRequest, type ErrorCode } from "../lib/errors.js";

export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "invalid_request" }),
      message: z.string().openapi({ example: "The request body is invalid." }),
      requestId: z.string().openapi({ example: "req_3b1f0c2a9d8e4f6a8b7c6d5e4f3a2b1c" }),
      details: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .openapi({ example: [{ path: "name", message: "Required" }] }),
    }),
  })
  .openapi("Error");

const errorDescriptions: Record<number, { description: string; code: ErrorCode }> = {
  400: { description: "Malformed JSON or a schema violation (see `details`).", code: "invalid_request" },
  401: { description: "Missing or invalid credentials.", code: "unauthorized" },
  403: { description: "Authenticated, but not allowed.", code: "forbidden" },
  404: { description: "No such object (or it belongs to another tenant).", code: "not_found" },
  409: { description: "Conflicts with an existing record.", code: "conflict" },
  413: { description: "The request body is too large.", code: "payload_too_large" },
  415: { description: "The request body is not JSON.", code: "unsupported_media_type" },
  429: { description: "Quota exceeded; see Retry-After.", code: "quota_exceeded" },
  500: { description: "Unexpected failure; no internal detail is returned.", code: "internal" },
  503: { description: "A dependency is unavailable; see Retry-After.", code: "unavailable" },
};

/** Response entries for the given error statuses, to spread into a route's `responses`. */
export function errorResponses(...statuses: (keyof typeof errorDescriptions)[]) {
  return Object.fromEntries(
    statuses.map((status) => {
      const { description, code } = errorDescriptions[status]!;
      return [
        status,
        {
          description,
          content: {
            "application/json": {
              schema: ErrorEnvelope,
              example: { error: { code, message: description, requestId: "req_3b1f0c2a9d8e4f6a8b7c6d5e4f3a2b1c" } },
            },
          },
        },
      ];
    }),
  );
}

/** Every schema failure becomes 400 `invalid_request`, with a detail per issue. */
export const validationHook: Hook<unknown, any, any, unknown> = (result) => {
  if (!result.success) {
    const issues = (result.error as z.ZodError).issues;
    throw invalidRequest(
      "The request is invalid.",
      issues.map((issue) => ({ path: issue.path.map(String).join(".") || "(root)", message: issue.message })),
    );
  }
};
