/**
 * Every failure mnemo reports has one of these codes. Callers branch on `code`, never on the message.
 *
 * - `invalid_input`: an argument or input record is malformed; `details.field` names it.
 * - `too_large`: a text or batch exceeds a configured limit; `details.limit` gives it.
 * - `not_found`: the memory (or version) does not exist in this tenant, or was forgotten where content is needed.
 * - `space_not_found`: a named space does not exist in this tenant.
 * - `forbidden`: the caller may see the space or memory but its role does not allow this (e.g. a reader
 *   writing, or a writer managing members); `details.needed` names the role it takes.
 * - `conflict`: a compare-and-set lost: `details.currentVersion` is the version now stored (or a space
 *   name is taken).
 * - `idempotency_conflict`: an idempotency key was re-sent with different content.
 * - `closed`: the memory or store was used after `close()`.
 * - `storage`: the backing store failed (disk, corruption, a locked file); `cause` holds the original error.
 * - `schema_version`: the database was written by a newer mnemo, or its schema cannot be migrated.
 * - `provider`: an embedding or LLM provider failed (unreachable, timed out, refused, or replied with
 *   something malformed) after its retries; `details.provider` names it and `details.status` gives the
 *   HTTP status when there was one.
 */
export type MemoryErrorCode =
  | "invalid_input"
  | "too_large"
  | "not_found"
  | "space_not_found"
  | "forbidden"
  | "conflict"
  | "idempotency_conflict"
  | "closed"
  | "storage"
  | "schema_version"
  | "provider";

export const MEMORY_ERROR_CODES: readonly MemoryErrorCode[] = [
  "invalid_input",
  "too_large",
  "not_found",
  "space_not_found",
  "forbidden",
  "conflict",
  "idempotency_conflict",
  "closed",
  "storage",
  "schema_version",
  "provider",
];

export interface MemoryErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error class mnemo throws. The message says what failed, the values involved, and the fix.
 *
 * @example
 * try { await memory.update(id, { expectedVersion: 1, text: "…" }) }
 * catch (error) {
 *   if (error instanceof MemoryError && error.code === "conflict") retryWith(error.details.currentVersion);
 * }
 */
export class MemoryError extends Error {
  readonly code: MemoryErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: MemoryErrorCode, message: string, options: MemoryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MemoryError";
    this.code = code;
    this.details = options.details ?? {};
  }
}

export function invalidInput(field: string, message: string, details: Record<string, unknown> = {}): MemoryError {
  return new MemoryError("invalid_input", `${field}: ${message}`, { details: { field, ...details } });
}
