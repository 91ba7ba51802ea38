import { invalidInput } from "../../domain/memory-error.js";
import { findTimeExpressions } from "../../recall/time-expressions.js";

/** "2023-05-07", "2023-05-07T10:00", "2023-05-07 10:00:00.5Z", "2023-05-07T10:00:00+02:00". */
const ISO = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?\s*(Z|[+-]\d\d:?\d\d)?)?$/i;

/** Extractors write short phrases; a longer `when` is cut so that a runaway reply cannot cost much. */
const MAX_LENGTH = 500;

/**
 * When an extractor's `when` or `until` ("yesterday", "last week", "in May 2023", "since 2021",
 * "2023-05-07", "2023-05-07T10:00:00Z") starts, as epoch ms (UTC), reading relative words from `saidAt`,
 * the epoch ms the turn was said. A period gives its start ("last week" is the Monday that began the
 * previous Monday-based week), an open range its known start ("since 2021"), an ISO datetime its instant
 * (UTC when it names no zone). Several expressions: the first one written counts.
 *
 * Null when nothing resolves: null, "someday", words that are not a time, or a range whose start is not
 * known ("before 2022").
 *
 * @example
 * resolveValidTime("yesterday", Date.parse("2023-05-08T14:00:00Z")) // Date.UTC(2023, 4, 7)
 */
export function resolveValidTime(when: string | null, saidAt: number): number | null {
  if (!Number.isFinite(saidAt)) throw invalidInput("saidAt", `is ${saidAt}. Pass the epoch ms the turn was said at.`);
  if (when === null) return null;
  const text = when.slice(0, MAX_LENGTH).trim();
  if (text === "") return null;
  const iso = ISO.exec(text);
  if (iso) return isoTime(iso);
  return findTimeExpressions(text, new Date(saidAt))[0]?.from ?? null;
}

function isoTime(match: RegExpExecArray): number | null {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const milliseconds = Number((match[7] ?? "").slice(0, 3).padEnd(3, "0"));
  const time = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
  const date = new Date(time);
  // Date.UTC rolls over ("02-30" becomes March 2): a date or time that does not exist is not a time.
  const exists = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return exists ? time - zoneOffset(match[8]) : null;
}

/** Milliseconds a zone ("+02:00", "-0530", "Z") is ahead of UTC; none is UTC. */
function zoneOffset(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}
