import { invalidInput } from "./memory-error.js";

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

const LONE_SURROGATE = /\p{Cs}/u;

export function requireString(value: unknown, field: string, options: { maxLength: number }): string {
  if (typeof value !== "string") {
    throw invalidInput(field, `must be a string, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}.`);
  }
  if (value.length > options.maxLength) {
    throw invalidInput(field, `is ${value.length} characters; at most ${options.maxLength} are accepted.`);
  }
  // SQLite stores UTF-8, where half a surrogate pair silently turns into replacement characters.
  const lone = LONE_SURROGATE.exec(value);
  if (lone) throw invalidInput(field, `has an unpaired UTF-16 surrogate at index ${lone.index}, which cannot be stored as UTF-8. Fix the text's encoding.`);
  return value;
}

/** Catches typos such as `ocurredAt`, which would otherwise be silently ignored. */
export function rejectUnknownFields(value: object, known: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw invalidInput(`${path}.${key}`, `is not a known field. Known fields: ${known.join(", ")}.`);
    }
  }
}

export function requireInteger(value: unknown, field: string, range: { min: number; max: number }): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalidInput(field, `must be an integer from ${range.min} to ${range.max}, got ${typeof value === "number" ? value : typeof value}.`);
  }
  return value;
}
