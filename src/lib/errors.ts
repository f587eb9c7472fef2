// One error type for the whole service. The code decides the HTTP status (one table below), so no
// call site can pair a code with the wrong status. Anything thrown that is not an ApiError becomes a
// 500 `internal` whose message never carries internal detail (see http/on-error.ts).

/** Every error code of the API contract and the status it always answers with. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  limit_reached: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  quota_exceeded: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

export interface ErrorDetail {
  path: string;
  message: string;
}

export interface ApiErrorOptions {
  details?: ErrorDetail[];
  headers?: Record<string, string>;
  /** What went wrong underneath, for the log line only (never sent to the caller). */
  cause?: unknown;
}

export class ApiError extends Error {
  readonly status: ErrorStatus;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: ApiErrorOptions = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = ERROR_STATUS[code];
  }
}

export const invalidRequest = (message: string, details?: ErrorDetail[], cause?: unknown) =>
  new ApiError("invalid_request", message, { ...(details ? { details } : {}), ...(cause !== undefined ? { cause } : {}) });

/** 400 naming one field: for a value the schema accepts but the domain refuses. */
export const invalidField = (path: string, message: string) => invalidRequest(`${path}: ${message}`, [{ path, message }]);

export const forbidden = (message: string) => new ApiError("forbidden", message);

export const notFound = (message = "The requested resource does not exist.") => new ApiError("not_found", message);

export const conflict = (message: string, options: ApiErrorOptions = {}) => new ApiError("conflict", message, options);

export const unavailable = (message: string, retryAfterSeconds: number, cause?: unknown) =>
  new ApiError("unavailable", message, {
    headers: { "Retry-After": String(retryAfterSeconds) },
    cause,
  });

export const internal = (cause?: unknown) => new ApiError("internal", "The server failed to handle this request.", { cause });

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
