/**
 * UTC calendar arithmetic for time expressions. Everything here is UTC: stored memory times are UTC
 * instants, and reading a query in the machine's zone would make recall depend on where mnemo runs.
 * Months are 1–12; periods are epoch milliseconds, start inclusive and end exclusive.
 */

export interface Period {
  from: number;
  to: number;
}

export const DAY_MS = 86_400_000;

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** The day `month`/`day` of `year`, or undefined when there is no such day (Feb 30, Feb 29 of 2023). */
export function dayPeriod(year: number, month: number, day: number): Period | undefined {
  const from = Date.UTC(year, month - 1, day);
  const date = new Date(from);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return { from, to: from + DAY_MS };
}

export function dayContaining(ms: number): Period {
  const from = startOfUtcDay(ms);
  return { from, to: from + DAY_MS };
}

/** Monday-based (ISO 8601) week. */
export function weekContaining(ms: number): Period {
  const day = startOfUtcDay(ms);
  const daysSinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  const from = day - daysSinceMonday * DAY_MS;
  return { from, to: from + 7 * DAY_MS };
}

/** `count` whole months from `month` of `year`; months past 12 or below 1 roll into the next or previous years. */
export function monthsPeriod(year: number, month: number, count = 1): Period {
  return { from: Date.UTC(year, month - 1, 1), to: Date.UTC(year, month - 1 + count, 1) };
}

export function yearPeriod(year: number): Period {
  return monthsPeriod(year, 1, 12);
}

export function monthContaining(ms: number): Period {
  const date = new Date(ms);
  return monthsPeriod(date.getUTCFullYear(), date.getUTCMonth() + 1);
}

export function utcYear(ms: number): number {
  return new Date(ms).getUTCFullYear();
}

/** `ms` moved by whole months, keeping the time of day; a day past the end of the target month becomes its last day. */
export function addUtcMonths(ms: number, months: number): number {
  const date = new Date(ms);
  const target = new Date(ms);
  target.setUTCDate(1);
  target.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.getTime();
}
