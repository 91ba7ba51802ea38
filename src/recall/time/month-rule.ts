import { monthPart, partOfPeriod, PART_OF_PERIOD } from "./part-of-period.js";
import { relation, RELATION, resolveYearly } from "./resolve-yearly.js";
import type { TimeRule } from "./time-rule.js";
import { hasSignalBefore, isAmbiguousMonth, isModalFollower, MONTH, monthNumber, wordAfter, YEAR } from "./vocabulary.js";

/**
 * A month: "May 2023", "May of 2023", "in May", "last May", "this May", "next May", "early/mid/late May 2023"
 * (days 1–10, 11–20, 21–end), "the end of May".
 *
 * January, February, July and September–December are always months. The other month words are also
 * verbs, names or abbreviations ("may I", "they march", "June said", "Jan"), so without a year they need a
 * signal: a word before them ("in", "since", "during"…, see `hasSignalBefore`), "last/this/next", or
 * "early/mid/late". "may" followed by a verb or pronoun ("this may be") is never a month.
 */
export const monthRule: TimeRule = {
  pattern: new RegExp(String.raw`(?<!\w)(?:(${PART_OF_PERIOD})[\s-]+)?(?:(${RELATION})\s+)?(${MONTH})(?:\.?,?\s+(?:of\s+)?(${YEAR}))?(?!\w)`, "gi"),
  resolve(match, query, now) {
    const [text, partWords, relationWords, word = "", yearText] = match;
    const month = monthNumber(word);
    if (month === undefined) return undefined;
    const part = partOfPeriod(partWords);
    const yearly = (year: number) => monthPart(year, month, part);
    if (yearText !== undefined) return relationWords === undefined ? { ...yearly(Number(yearText)), anchor: "absolute" } : undefined;
    const index = match.index ?? 0;
    if (word.toLowerCase() === "may" && isModalFollower(wordAfter(query, index + text.length))) return undefined;
    if (isAmbiguousMonth(word) && partWords === undefined && relationWords === undefined && !hasSignalBefore(query, index)) return undefined;
    const which = relation(relationWords);
    const period = resolveYearly(yearly, which, now);
    if (period === undefined) return null;
    return which === undefined ? { ...period, anchor: "relative", inYear: yearly } : { ...period, anchor: "relative" };
  },
};
