// One error type for the whole service. Anything thrown that is not an ApiError becomes a 500
// `internal` whose message never carries internal detail (see http/on-error.ts).

export type ErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "limit_reached"
  | "payload_too_large"
  | "unsupported_media_type"
  | "quota_exceeded"
  | "unavailable"
  | "internal";

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly options: {
      details?: ErrorDetail[];
      headers?: Record<string, string>;
      /** What went wrong underneath, for the log line only (never sent to the caller). */
      cause?: unknown;
    } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const invalidRequest = (message: string, details?: ErrorDetail[]) =>
  new ApiError(400, "invalid_request", message, details ? { details } : {});

export const notFound = (message = "The requested resource does not exist.") =>
  new ApiError(404, "not_found", message);

export const unavailable = (message: string, retryAfterSeconds: number, cause?: unknown) =>
  new ApiError(503, "unavailable", message, {
    headers: { "Retry-After": String(retryAfterSeconds) },
    cause,
  });

export const internal = (cause?: unknown) =>
  new ApiError(500, "internal", "The server failed to handle this request.", { cause });

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details?: ErrorDetail[] };
}

export function errorBody(err: ApiError, requestId: string): ErrorBody {
  return {
    error: {
      code: err.code,
      message: err.message,
      requestId,
      ...(err.options.details?.length ? { details: err.options.details } : {}),
    },
  };
}
