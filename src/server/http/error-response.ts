import { MemoryError, type MemoryErrorCode } from "../../domain/memory-error.js";

/** Every error the HTTP API answers with has this body. */
export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/** HTTP status per MemoryError code: the one place they are mapped. */
const STATUS: Record<MemoryErrorCode, number> = {
  invalid_input: 400,
  too_large: 413,
  not_found: 404,
  space_not_found: 404,
  forbidden: 403,
  conflict: 409,
  idempotency_conflict: 409,
  closed: 503,
  storage: 500,
  schema_version: 500,
  provider: 502,
};

export function errorBody(code: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { error: { code, message, details } };
}

/**
 * A thrown error as a status and a body. Only MemoryErrors say what went wrong; anything else is an
 * unexpected failure whose message may hold internals, so the client gets a generic 500.
 */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof MemoryError) return { status: STATUS[error.code] ?? 500, body: errorBody(error.code, error.message, error.details ?? {}) };
  return { status: 500, body: errorBody("internal", "The server failed unexpectedly; the request may not have been applied. Its log has the details.") };
}
