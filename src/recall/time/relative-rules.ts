import { addUtcMonths, dayContaining, DAY_MS, monthContaining, monthsPeriod, startOfUtcDay, utcYear, weekContaining, yearPeriod, type Period } from "./calendar.js";
import { relation, RELATION } from "./resolve-yearly.js";
import type { Point, TimeRule } from "./time-rule.js";
import { COUNT, countValue, UNIT, WEEKDAY, weekdayNumber, wordAfter } from "./vocabulary.js";

type Unit = "day" | "week" | "month" | "year";

/** Days from today. Parts of a day ("this morning", "last night") name the whole UTC day. */
const DAY_OFFSETS: ReadonlyMap<string, number> = new Map([
  ["the day before yesterday", -2],
  ["yesterday", -1],
  ["last night", -1],
  ["today", 0],
  ["tonight", 0],
  ["this morning", 0],
  ["this afternoon", 0],
  ["this evening", 0],
  ["tomorrow", 1],
  ["the day after tomorrow", 2],
]);

const dayWord: TimeRule = {
  pattern: new RegExp(String.raw`(?<!\w)(?:${[...DAY_OFFSETS.keys()].map((words) => words.replace(/ /g, String.raw`\s+`)).join("|")})(?!\w)`, "gi"),
  resolve: ([text], _query, now) => relative(dayContaining(now + (DAY_OFFSETS.get(text.toLowerCase().replace(/\s+/g, " ")) ?? 0) * DAY_MS)),
};

/**
 * "Tuesday", "on Tuesday": the latest Tuesday that is not in the future (today, if it is Tuesday);
 * "last Tuesday": the latest before today; "next Tuesday": the first after today; "this Tuesday": the
 * Tuesday of the current Monday-based week. Plurals ("on Tuesdays") are habits, not days.
 */
const weekday: TimeRule = {
  pattern: new RegExp(String.raw`(?<!\w)(?:(${RELATION})\s+)?(${WEEKDAY})(?!\w)`, "gi"),
  resolve([, relationWords, word = ""], _query, now) {
    const target = weekdayNumber(word);
    const today = startOfUtcDay(now);
    const todayNumber = (new Date(today).getUTCDay() + 6) % 7;
    const back = (todayNumber - target + 7) % 7;
    const which = relation(relationWords);
    if (which === "this") return relative(dayContaining(weekContaining(now).from + target * DAY_MS));
    if (which === "next") return relative(dayContaining(weekContaining(now).to + target * DAY_MS));
    return relative(dayContaining(today - (which === "last" ? back || 7 : back) * DAY_MS));
  },
};

/**
 * "last week", "this month", "next year", "last weekend": calendar periods (Monday-based weeks; a weekend
 * is the Saturday and Sunday of its week). "the past week" and "this past week" are rolling windows (see
 * `rollingWindow`), but "this past weekend" is last weekend.
 */
const calendarPeriod: TimeRule = {
  // Not after "the": "the next week" and "the last year of college" are relative to something else.
  pattern: new RegExp(String.raw`(?<!\w)(?<!\bthe\s+)(${RELATION})\s+(week|weekend|month|year)(?!\w)`, "gi"),
  resolve([, relationWords, unit = ""], _query, now) {
    const which = relation(relationWords);
    if (which === undefined) return undefined;
    if (/^this\s+past$/i.test(relationWords ?? "") && unit.toLowerCase() !== "weekend") return undefined;
    const step = which === "last" ? -1 : which === "next" ? 1 : 0;
    const date = new Date(now);
    switch (unit.toLowerCase()) {
      case "week":
        return relative(weekContaining(now + step * 7 * DAY_MS));
      case "weekend": {
        const weekEnd = weekContaining(now + step * 7 * DAY_MS).to;
        return relative({ from: weekEnd - 2 * DAY_MS, to: weekEnd });
      }
      case "month":
        return relative(monthsPeriod(date.getUTCFullYear(), date.getUTCMonth() + 1 + step));
      default:
        return relative(yearPeriod(date.getUTCFullYear() + step));
    }
  },
};

/**
 * "the past 3 days", "in the last two weeks", "over the past few months", "past week", "this past week":
 * from `now` minus that much time to `now`, widened to whole UTC days (so it ends at the end of today).
 * "last week" without "the" and a count is the calendar week instead; "the last day of …" is not a window.
 */
const rollingWindow: TimeRule = {
  pattern: new RegExp(String.raw`(?<![\w-])(?:(the|this)\s+)?(past|last)\s+(?:(${COUNT})\s+)?(${UNIT})(s?)(?!\w)`, "gi"),
  resolve(match, query, now) {
    const [text, determiner, adjective = "", countWords, unit = "", plural] = match;
    if (countWords === undefined && (plural !== "" || (determiner === undefined && !/^past$/i.test(adjective)))) return undefined;
    if (wordAfter(query, (match.index ?? 0) + text.length)?.toLowerCase() === "of") return undefined;
    const count = countWords === undefined ? 1 : countValue(countWords);
    if (count === undefined || count === 0) return undefined;
    return relative({ from: startOfUtcDay(before(now, count, unit.toLowerCase() as Unit)), to: dayContaining(now).to });
  },
};

/**
 * "two weeks ago", "3 days ago", "a month ago", "a few years ago" (few = 3): the calendar day, Monday-based
 * week, month or year that contains `now` minus that much time.
 */
const ago: TimeRule = {
  pattern: new RegExp(String.raw`(?<![\w-])(${COUNT})\s+(${UNIT})s?\s+ago(?!\w)`, "gi"),
  resolve([, countWords = "", unit = ""], _query, now) {
    const count = countValue(countWords);
    if (count === undefined) return undefined;
    const then = before(now, count, unit.toLowerCase() as Unit);
    switch (unit.toLowerCase()) {
      case "day":
        return relative(dayContaining(then));
      case "week":
        return relative(weekContaining(then));
      case "month":
        return relative(monthContaining(then));
      default:
        return relative(yearPeriod(utcYear(then)));
    }
  },
};

export const RELATIVE_RULES: readonly TimeRule[] = [dayWord, weekday, calendarPeriod, rollingWindow, ago];

function before(now: number, count: number, unit: Unit): number {
  if (unit === "day") return now - count * DAY_MS;
  if (unit === "week") return now - count * 7 * DAY_MS;
  return addUtcMonths(now, -(unit === "month" ? count : 12 * count));
}

function relative(period: Period): Point {
  return { ...period, anchor: "relative" };
}
