import { invalidInput } from "../domain/memory-error.js";
import { toEpochMs } from "../domain/time.js";
import { MEMORY_KINDS, type MemoryKind, type RecallOptions, type TimeInput } from "../domain/types.js";
import { isPlainObject, rejectUnknownFields, requireInteger, requireString } from "../domain/validate.js";

export const DEFAULT_BUDGET_TOKENS = 2_000;
export const MAX_BUDGET_TOKENS = 1_000_000;
export const MAX_RECALL_ITEMS = 1_000;

export interface ValidRecallOptions {
  spaces?: string[];
  kinds?: MemoryKind[];
  authors?: string[];
  from?: number;
  to?: number;
  asOf?: number;
  now?: number;
  budgetTokens: number;
  limit: number;
}

const RECALL_FIELDS = ["spaces", "kinds", "authors", "timeRange", "asOf", "now", "budgetTokens", "limit"];

export function validateRecallOptions(options: unknown): ValidRecallOptions {
  if (options === undefined || options === null) return { budgetTokens: DEFAULT_BUDGET_TOKENS, limit: MAX_RECALL_ITEMS };
  if (!isPlainObject(options)) throw invalidInput("options", "must be an object.");
  rejectUnknownFields(options, RECALL_FIELDS, "options");
  const input = options as RecallOptions;
  const valid: ValidRecallOptions = {
    budgetTokens:
      input.budgetTokens === undefined ? DEFAULT_BUDGET_TOKENS : requireInteger(input.budgetTokens, "options.budgetTokens", { min: 1, max: MAX_BUDGET_TOKENS }),
    limit: input.limit === undefined ? MAX_RECALL_ITEMS : requireInteger(input.limit, "options.limit", { min: 1, max: MAX_RECALL_ITEMS }),
  };
  if (input.spaces !== undefined) valid.spaces = validateNames(input.spaces, "options.spaces");
  if (input.kinds !== undefined) valid.kinds = validateKinds(input.kinds, "options.kinds");
  if (input.authors !== undefined) valid.authors = validateNames(input.authors, "options.authors");
  if (input.asOf !== undefined) valid.asOf = toEpochMs(input.asOf, "options.asOf");
  if (input.now !== undefined) valid.now = toEpochMs(input.now, "options.now");
  if (input.timeRange !== undefined) {
    if (!isPlainObject(input.timeRange as unknown)) throw invalidInput("options.timeRange", "must be an object { from?, to? }.");
    rejectUnknownFields(input.timeRange, ["from", "to"], "options.timeRange");
    if (input.timeRange.from !== undefined) valid.from = toEpochMs(input.timeRange.from, "options.timeRange.from");
    if (input.timeRange.to !== undefined) valid.to = endOf(input.timeRange.to, "options.timeRange.to");
    if (valid.from !== undefined && valid.to !== undefined && valid.from > valid.to) {
      throw invalidInput("options.timeRange", "from is after to. Swap them, or leave one out for an open range.");
    }
  }
  return valid;
}

/** Most spaces (or kinds) one call may name. */
export const MAX_LISTED = 100;

export function validateNames(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidInput(field, "must be a non-empty array of names.");
  if (value.length > MAX_LISTED) throw invalidInput(field, `lists ${value.length} names; at most ${MAX_LISTED} are accepted in one call.`);
  return [...new Set(value.map((name, index) => requireString(name, `${field}[${index}]`, { maxLength: 256 })))];
}

export function validateKinds(value: unknown, field: string): MemoryKind[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidInput(field, `must be a non-empty array of kinds (${MEMORY_KINDS.join(", ")}).`);
  const kinds = value.map((kind, index) => {
    if (!MEMORY_KINDS.includes(kind as MemoryKind)) {
      throw invalidInput(`${field}[${index}]`, `"${String(kind)}" is not a memory kind. Use one of: ${MEMORY_KINDS.join(", ")}.`);
    }
    return kind as MemoryKind;
  });
  return [...new Set(kinds)];
}

const DAY_MS = 86_400_000;

/** A date without a time as the end of a range means "up to and including that day". */
function endOf(value: TimeInput, field: string): number {
  const start = toEpochMs(value, field);
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? start + DAY_MS - 1 : start;
}
