import { monthsPart, partOfPeriod, PART_OF_PERIOD } from "./part-of-period.js";
import type { TimeRule } from "./time-rule.js";
import { hasSignalBefore, wordAfter, YEAR } from "./vocabulary.js";

/** Words that may follow a year but not a count ("2023 was busy", "2022 and 2023"); any other word makes the number a count ("2023 followers"). */
const YEAR_FOLLOWERS = new Set([
  "and", "or", "but", "to", "until", "till", "through", "when", "while", "where", "was", "were", "is", "had", "has",
  "did", "in", "at", "on", "for", "with", "before", "after", "during", "so", "then", "vs", "versus", "i", "we", "she",
  "he", "they", "you", "it",
]);

/**
 * A bare four-digit number from 1900 to 2100: "in 2022", "during 2021", "2023?", "early 2023" (January–April;
 * mid is May–August, late September–December). It is a year when a signal word comes before it ("in",
 * "during", "since", "before", "after", "of", "from", "until"…, or a range's first half: "2019 to 2021"),
 * when "early/mid/late" does, or when no word follows it other than one in YEAR_FOLLOWERS. So
 * "she has 2023 followers" and "2000 people" name no year. Numbers inside other numbers, dates, amounts
 * or versions ("$2023", "v2023", "1.2023", "05/2023") are never years.
 */
const bareYear: TimeRule = {
  pattern: new RegExp(String.raw`(?<![\w/.:$£€#])(?<!(?<!\d)\d{1,2}-)(?:(${PART_OF_PERIOD})[\s-]+)?(${YEAR})(?!\w|[-/.:]\d{1,2}(?!\d))`, "gi"),
  resolve(match, query) {
    const [text, partWords, year] = match;
    const index = match.index ?? 0;
    const next = wordAfter(query, index + text.length);
    const signalled = partWords !== undefined || hasSignalBefore(query, index) || next === undefined || YEAR_FOLLOWERS.has(next.toLowerCase());
    return signalled ? { ...monthsPart(Number(year), 1, 12, partOfPeriod(partWords)), anchor: "absolute" } : undefined;
  },
};

/** "the year 2020", "year 2020". */
const namedYear: TimeRule = {
  pattern: new RegExp(String.raw`(?<!\w)(?:the\s+)?year\s+(?:of\s+)?(${YEAR})(?!\w)`, "gi"),
  resolve: ([, year]) => ({ ...monthsPart(Number(year), 1, 12, undefined), anchor: "absolute" }),
};

/** "the 1990s", "2010s", "the 2000's": ten years. Two-digit decades ("the 90s", "in her 30s") are not read. */
const decade: TimeRule = {
  pattern: /(?<!\w)(?:the\s+)?((?:19|20)\d0)'?s(?!\w)/gi,
  resolve: ([, year]) => ({ ...monthsPart(Number(year), 1, 120, undefined), anchor: "absolute" }),
};

export const YEAR_RULES: readonly TimeRule[] = [bareYear, namedYear, decade];
