import { dayPeriod } from "./calendar.js";
import { resolveYearly, type Yearly } from "./resolve-yearly.js";
import type { Point, TimeRule } from "./time-rule.js";
import { hasSignalBefore, isAmbiguousMonth, MONTH, monthNumber, WEEKDAY, wordAfter, YEAR } from "./vocabulary.js";

const DAY = String.raw`(\d{1,2})(st|nd|rd|th)?`;
/** An optional weekday before a date ("Tuesday, May 9, 2023"); it is not checked against the date. */
const ON_WEEKDAY = String.raw`(?:${WEEKDAY},?\s+)?`;

/** "2023-05-08" (ISO 8601; a time after it is ignored). */
const isoDate: TimeRule = {
  pattern: new RegExp(String.raw`(?<![\w/.-])(${YEAR})-(\d\d)-(\d\d)(?![\d-])`, "g"),
  resolve: ([, year, month, day]) => absoluteDay(year, month, day),
};

/**
 * "5/8/2023" is read the US way, month first (May 8), unless the first number cannot be a month
 * ("15/8/2023" is August 15). Only with a four-digit year: "5/8" is as likely a fraction or a score.
 */
const slashedDate: TimeRule = {
  pattern: new RegExp(String.raw`(?<![\w/.-])(\d{1,2})/(\d{1,2})/(${YEAR})(?![\w/]|\.\d)`, "g"),
  resolve: ([, first = "", second = "", year]) => (Number(first) > 12 ? absoluteDay(year, second, first) : absoluteDay(year, first, second)),
};

/** "8 May 2023", "8th of May", "the 8th of May, 2023", "Tuesday, 9 May 2023". */
const dayFirst: TimeRule = {
  pattern: new RegExp(String.raw`(?<![\w/.:-])${ON_WEEKDAY}(?:(the)\s+)?${DAY}(?:\s+(of))?\s+(${MONTH})(?:\.?,?\s+(${YEAR}))?(?!\w)`, "gi"),
  resolve(match, query, now) {
    const [text, the, day, suffix, of, word = "", year] = match;
    const index = match.index ?? 0;
    const plain = year === undefined && the === undefined && suffix === undefined && of === undefined;
    return plain && looksLikeVerb(word, query, index, index + text.length) ? undefined : dayOfMonth(word, day, year, now);
  },
};

/** "May 8, 2023", "May 8th", "May the 8th", "Tuesday, May 9, 2023". */
const monthFirst: TimeRule = {
  pattern: new RegExp(String.raw`(?<!\w)${ON_WEEKDAY}(${MONTH})\.?\s+(?:the\s+)?${DAY}(?![\d:])(?:,?\s+(${YEAR}))?(?!\w)`, "gi"),
  resolve(match, query, now) {
    const [text, word = "", day, suffix, year] = match;
    const index = match.index ?? 0;
    const plain = year === undefined && suffix === undefined;
    return plain && looksLikeVerb(word, query, index, index + text.length) ? undefined : dayOfMonth(word, day, year, now);
  },
};

/** Day-level rules; each returns null for a day that does not exist (Feb 30). */
export const DATE_RULES: readonly TimeRule[] = [isoDate, slashedDate, dayFirst, monthFirst];

/**
 * "3 may be enough", "they march 3 miles": a lower-case month word that is also a verb, next to a bare
 * number, with no signal before it ("on", "since"…) and a word after it, is not a date.
 */
function looksLikeVerb(word: string, query: string, index: number, end: number): boolean {
  return word === word.toLowerCase() && isAmbiguousMonth(word) && !hasSignalBefore(query, index) && wordAfter(query, end) !== undefined;
}

function absoluteDay(year: string | undefined, month: string | undefined, day: string | undefined): Point | null {
  const period = dayPeriod(Number(year), Number(month), Number(day));
  return period ? { ...period, anchor: "absolute" } : null;
}

/** A day of a named month; without a year, the latest such day that is not in the future ("Feb 29" in 2023 is 2020-02-29). */
function dayOfMonth(word: string, day: string | undefined, year: string | undefined, now: number): Point | null | undefined {
  const month = monthNumber(word);
  if (month === undefined) return undefined;
  if (year !== undefined) return absoluteDay(year, String(month), day);
  const yearly: Yearly = (candidate) => dayPeriod(candidate, month, Number(day));
  const period = resolveYearly(yearly, undefined, now);
  return period ? { ...period, anchor: "relative", inYear: yearly } : null;
}
