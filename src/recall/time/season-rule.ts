import { monthsPart, partOfPeriod, PART_OF_PERIOD } from "./part-of-period.js";
import { relation, RELATION, resolveYearly } from "./resolve-yearly.js";
import type { TimeRule } from "./time-rule.js";
import { hasSignalBefore, YEAR } from "./vocabulary.js";

/** Northern-hemisphere meteorological seasons, by first month; each lasts three months. */
const SEASON_STARTS: ReadonlyMap<string, number> = new Map([
  ["spring", 3],
  ["summer", 6],
  ["autumn", 9],
  ["fall", 9],
  ["winter", 12],
]);

/**
 * A season: "summer 2022", "the summer of 2022", "last summer", "in the spring", "early autumn 2021" (its
 * first month). Seasons are northern-hemisphere meteorological: spring March–May, summer June–August,
 * autumn (fall) September–November, winter December–February; "winter 2022" starts in December 2022.
 * Season words are also nouns and verbs ("summer camp", "did she fall"), so without a year they need a
 * signal: "in", "during", "since"…, "last/this/next" or "early/mid/late".
 */
export const seasonRule: TimeRule = {
  pattern: new RegExp(
    String.raw`(?<!\w)(?:(${PART_OF_PERIOD})[\s-]+)?(?:(${RELATION})\s+)?(?:the\s+)?(spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(${YEAR}))?(?!\w)`,
    "gi",
  ),
  resolve(match, query, now) {
    const [, partWords, relationWords, word = "", yearText] = match;
    const firstMonth = SEASON_STARTS.get(word.toLowerCase());
    if (firstMonth === undefined) return undefined;
    const part = partOfPeriod(partWords);
    const yearly = (year: number) => monthsPart(year, firstMonth, 3, part);
    if (yearText !== undefined) return relationWords === undefined ? { ...yearly(Number(yearText)), anchor: "absolute" } : undefined;
    if (partWords === undefined && relationWords === undefined && !hasSignalBefore(query, match.index ?? 0)) return undefined;
    const which = relation(relationWords);
    const period = resolveYearly(yearly, which, now);
    if (period === undefined) return null;
    return which === undefined ? { ...period, anchor: "relative", inYear: yearly } : { ...period, anchor: "relative" };
  },
};
