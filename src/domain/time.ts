import { invalidInput } from "./memory-error.js";
import type { TimeInput } from "./types.js";

/** The largest distance from the epoch a Date can represent, in milliseconds. */
const MAX_EPOCH_MS = 8.64e15;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Turns a caller's time into epoch milliseconds. Strings must be ISO 8601; a string without a zone is
 * read as UTC (never as the machine's local time, which would make results depend on where mnemo runs).
 */
export function toEpochMs(value: TimeInput, field: string): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw invalidInput(field, "is an invalid Date. Pass a valid Date or an ISO 8601 string.");
    return ms;
  }
  if (typeof value === "number") {
    // Stores keep whole milliseconds, and a time outside a Date's range could be stored but never read back.
    if (!Number.isInteger(value) || Math.abs(value) > MAX_EPOCH_MS) {
      throw invalidInput(field, `must be a whole number of epoch milliseconds within ±${MAX_EPOCH_MS} (the range of a Date), got ${value}.`);
    }
    return value;
  }
  if (typeof value !== "string") {
    throw invalidInput(field, `must be an ISO 8601 string, a Date or epoch milliseconds, got ${typeof value}.`);
  }
  const match = ISO_8601.exec(value.trim());
  if (!match) {
    throw invalidInput(field, `"${truncate(value)}" is not an ISO 8601 date. Use a form like "2023-05-08" or "2023-05-08T13:56:00Z".`);
  }
  const [, year, month, day, hour, minute, second, zone] = match;
  if (!isRealDate(Number(year), Number(month), Number(day)) || Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 59) {
    throw invalidInput(field, `"${truncate(value)}" is not a real date or time of day.`);
  }
  const normalized = hour === undefined ? `${year}-${month}-${day}T00:00:00Z` : zone ? value.trim() : `${value.trim()}Z`;
  const ms = Date.parse(normalized.replace(" ", "T"));
  if (Number.isNaN(ms)) throw invalidInput(field, `"${truncate(value)}" could not be read as a date.`);
  return ms;
}

export function toIso(ms: number): string;
export function toIso(ms: number | null): string | null;
export function toIso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
