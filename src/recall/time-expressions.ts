import { invalidInput } from "../domain/memory-error.js";
import { combineRanges } from "./time/combine-ranges.js";
import { DATE_RULES } from "./time/date-rules.js";
import { monthRule } from "./time/month-rule.js";
import { RELATIVE_RULES } from "./time/relative-rules.js";
import { seasonRule } from "./time/season-rule.js";
import type { Found, Point, TimeRule } from "./time/time-rule.js";
import { YEAR_RULES } from "./time/year-rules.js";

/** A period named in a query. All times are UTC, like the stored memory times they are compared with. */
export interface TimeExpression {
  /** The words matched, as written in the query. */
  text: string;
  /** Character offset of `text` in the query. */
  index: number;
  /** Start of the period, epoch ms, inclusive; null when open ("before 2022"). */
  from: number | null;
  /** End of the period, epoch ms, exclusive; null when open ("since March"). */
  to: number | null;
  /** "absolute" when the expression names its own date ("in May 2023"), "relative" when it needs `now` ("last week"). */
  anchor: "absolute" | "relative";
}

const POINT_RULES: readonly TimeRule[] = [...DATE_RULES, monthRule, seasonRule, ...YEAR_RULES, ...RELATIVE_RULES];

/**
 * The periods an English query names, longest first where matches overlap, then in query order. Each is
 * the calendar period the words denote, computed in UTC: a day, a Monday-based week, a month, a
 * meteorological season, a year, or a range ("before 2022", "between March and June 2023"). Words
 * relative to `now` ("last week", "in May", "two weeks ago") are resolved against it. Case does not matter.
 *
 * Words that are not time expressions give nothing: "may I ask", "3 cats", "she has 2023 followers",
 * "the 4th item", dates that do not exist ("Feb 30"), and times relative to an event only the
 * conversation knows ("two weeks before the trip").
 *
 * @example
 * findTimeExpressions("what did Alice do last May?", new Date("2023-06-15T12:00:00Z"));
 * // [{ text: "last May", index: 18, from: Date.UTC(2023, 4, 1), to: Date.UTC(2023, 5, 1), anchor: "relative" }]
 */
export function findTimeExpressions(query: string, now: Date): TimeExpression[] {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw invalidInput("now", "is an invalid Date. Pass the time the query is asked at.");
  const points = longestFirst(POINT_RULES.flatMap((rule) => findPoints(rule, query, nowMs)));
  return longestFirst([...points, ...combineRanges(query, points)]).flatMap(({ index, end, value }) =>
    value === null ? [] : [{ text: query.slice(index, end), index, from: value.from, to: value.to, anchor: value.anchor }],
  );
}

function findPoints(rule: TimeRule, query: string, now: number): Found<Point>[] {
  return [...query.matchAll(rule.pattern)].flatMap((match) => {
    const value = rule.resolve(match, query, now);
    const index = match.index ?? 0;
    return value === undefined ? [] : [{ index, end: index + match[0].length, value }];
  });
}

/** The longest of overlapping matches (the earliest among equals), in query order. */
function longestFirst<T>(found: ReadonlyArray<Found<T>>): Found<T>[] {
  const kept: Found<T>[] = [];
  const byLength = [...found].sort((a, b) => b.end - b.index - (a.end - a.index) || a.index - b.index);
  for (const candidate of byLength) {
    if (kept.every((other) => candidate.end <= other.index || other.end <= candidate.index)) kept.push(candidate);
  }
  return kept.sort((a, b) => a.index - b.index);
}
