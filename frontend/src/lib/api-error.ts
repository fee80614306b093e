import type { ErrorResponse } from "@/api/models";

/** One problem of a refused request body; the API sends them as the error's `details`. */
export interface ErrorDetail {
  loc: (string | number)[];
  msg: string;
}

export interface ApiErrorInit {
  status: number;
  code: string;
  message: string;
  requestId?: string | null;
  details?: ErrorDetail[];
  retryAfterSeconds?: number | null;
}

/** An error answered by the API (or the absence of an answer: status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly details: ErrorDetail[];
  readonly retryAfterSeconds: number | null;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.details = init.details ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function isErrorDetail(value: unknown): value is ErrorDetail {
  if (typeof value !== "object" || value === null) return false;
  const detail = value as Record<string, unknown>;
  return typeof detail.msg === "string" && Array.isArray(detail.loc);
}

export function isErrorBody(value: unknown): value is ErrorResponse {
  if (typeof value !== "object" || value === null) return false;
  const error = (value as Record<string, unknown>).error;
  if (typeof error !== "object" || error === null) return false;
  const fields = error as Record<string, unknown>;
  return typeof fields.code === "string" && typeof fields.message === "string";
}

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date). */
export function parseRetryAfter(header: string | null, now: Date = new Date()): number | null {
  if (header === null || header.trim() === "") return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

function fallbackMessage(status: number): string {
  if (status === 401) return "Your session has ended. Sign in again.";
  if (status === 403) return "You do not have permission to do this.";
  if (status === 404) return "The requested item was not found.";
  if (status === 429) return "Too many requests. Try again later.";
  if (status >= 500) return `The server had a problem (status ${status}). Try again later.`;
  return `The server answered with an unexpected response (status ${status}).`;
}

/** Builds an ApiError from a non-2xx response, whatever its body. */
export async function readApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const retryAfterSeconds = parseRetryAfter(response.headers.get("Retry-After"));
  if (isErrorBody(body)) {
    const details = Array.isArray(body.error.details) ? body.error.details.filter(isErrorDetail) : [];
    return new ApiError({
      status: response.status,
      code: body.error.code,
      message: body.error.message,
      requestId: typeof body.error.request_id === "string" ? body.error.request_id : null,
      details,
      retryAfterSeconds,
    });
  }
  return new ApiError({
    status: response.status,
    code: `http_${response.status}`,
    message: fallbackMessage(response.status),
    requestId: response.headers.get("X-Request-ID"),
    retryAfterSeconds,
  });
}

export function networkError(): ApiError {
  return new ApiError({
    status: 0,
    code: "network_error",
    message: "Cannot reach the server. Check your connection and try again.",
  });
}

/** The sentence to show a person for any thrown value. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (error.status === 429 && error.retryAfterSeconds !== null) {
      const seconds = error.retryAfterSeconds;
      return `Too many attempts. Try again in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`;
    }
    return error.message;
  }
  return "Something went wrong. Try again.";
}
