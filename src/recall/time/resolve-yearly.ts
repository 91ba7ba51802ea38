import { monthContaining, utcYear, type Period } from "./calendar.js";

/** A period that recurs every year (a month, a day of the year, a season), as the one that starts in `year`; undefined when it does not occur that year (Feb 29). */
export type Yearly = (year: number) => Period | undefined;

/** The word before a recurring period: "last May", "this summer", "next May"; none for a bare "May". */
export type Relation = "last" | "this" | "next";

// Feb 29 can be 8 years apart (2096, 2104); no other yearly period is rarer.
const YEARS_TO_SEARCH = 8;

/**
 * Which occurrence of a yearly period the words mean, as of `now`:
 * - bare ("in May"): the latest one that has started by now, so possibly the one in progress;
 * - "last": the latest one over before the current month began ("last May" in June 2023 is May 2023;
 *   "last summer" in June 2023 is summer 2022);
 * - "next": the first one starting after the current month;
 * - "this": the one in progress, else the one starting this year.
 */
export function resolveYearly(yearly: Yearly, relation: Relation | undefined, now: number): Period | undefined {
  const month = monthContaining(now);
  if (relation === "last") return latest(yearly, now, (period) => period.to <= month.from);
  if (relation === "next") return earliest(yearly, now, (period) => period.from >= month.to);
  if (relation === "this") return latest(yearly, now, (period) => period.from <= now && now < period.to) ?? yearly(utcYear(now));
  return latest(yearly, now, (period) => period.from <= now);
}

export function relation(word: string | undefined): Relation | undefined {
  const normalized = word?.toLowerCase().replace(/\s+/g, " ");
  if (normalized === undefined) return undefined;
  if (normalized === "last" || normalized === "this past") return "last";
  if (normalized === "next" || normalized === "this coming") return "next";
  return normalized === "this" ? "this" : undefined;
}

/** Matches the words `relation` reads (no capture groups). */
export const RELATION: string = String.raw`(?:this\s+past|this\s+coming|last|this|next)`;

function latest(yearly: Yearly, now: number, accept: (period: Period) => boolean): Period | undefined {
  const year = utcYear(now);
  for (let candidate = year + 1; candidate >= year - YEARS_TO_SEARCH; candidate--) {
    const period = yearly(candidate);
    if (period && accept(period)) return period;
  }
  return undefined;
}

function earliest(yearly: Yearly, now: number, accept: (period: Period) => boolean): Period | undefined {
  const year = utcYear(now);
  for (let candidate = year - 1; candidate <= year + YEARS_TO_SEARCH; candidate++) {
    const period = yearly(candidate);
    if (period && accept(period)) return period;
  }
  return undefined;
}
