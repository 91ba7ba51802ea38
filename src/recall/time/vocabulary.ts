/** Words of English time expressions, as regular-expression sources (no capture groups) and lookups. */

const MONTH_WORDS: ReadonlyMap<string, number> = new Map([
  ["january", 1], ["jan", 1], ["february", 2], ["feb", 2], ["march", 3], ["mar", 3], ["april", 4], ["apr", 4],
  ["may", 5], ["june", 6], ["jun", 6], ["july", 7], ["jul", 7], ["august", 8], ["aug", 8],
  ["september", 9], ["sept", 9], ["sep", 9], ["october", 10], ["oct", 10], ["november", 11], ["nov", 11],
  ["december", 12], ["dec", 12],
]);

/**
 * Month words that are also verbs, names or other words ("may I", "they march", "June said", "Jan"):
 * they count as months only with a signal (see `month-rules.ts`).
 */
const AMBIGUOUS_MONTHS = new Set(["may", "march", "april", "june", "august", ...[...MONTH_WORDS.keys()].filter((word) => word.length <= 4)]);

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

const COUNT_WORDS: ReadonlyMap<string, number> = new Map([
  ["a", 1], ["an", 1], ["one", 1], ["two", 2], ["three", 3], ["four", 4], ["five", 5], ["six", 6], ["seven", 7],
  ["eight", 8], ["nine", 9], ["ten", 10], ["eleven", 11], ["twelve", 12], ["thirteen", 13], ["fourteen", 14],
  ["fifteen", 15], ["sixteen", 16], ["seventeen", 17], ["eighteen", 18], ["nineteen", 19], ["twenty", 20],
  // Vague counts get a fixed value so that "the past few months" still names a period.
  ["a couple of", 2], ["a couple", 2], ["couple of", 2], ["a few", 3], ["few", 3], ["several", 3],
]);

/** Words that make a following month, season or year a time expression ("in may", "since 2020", "during the summer"). */
const SIGNAL_WORDS = new Set([
  "in", "on", "during", "since", "before", "after", "until", "till", "by", "from", "of", "between", "around",
  "through", "throughout", "over", "early", "mid", "late", "last", "this", "next",
]);

/** Words after "may" that make it the modal verb ("this may be", "last may have"). */
const MODAL_FOLLOWERS = new Set([
  "be", "have", "not", "also", "well", "still", "never", "just", "only", "even", "already", "i", "you", "he", "she",
  "it", "we", "they", "need", "want", "help", "take", "make", "come", "go", "get", "seem", "cause", "change", "look",
  "feel", "mean", "include", "require", "happen", "work", "know", "find", "use", "see", "say", "try", "give",
]);

export const MONTH: string = alternation([...MONTH_WORDS.keys()]);
export const WEEKDAY: string = alternation(WEEKDAYS);
export const COUNT: string = String.raw`(?:\d{1,3}|${alternation([...COUNT_WORDS.keys()])})`;
/** Years 1900–2100: the only 4-digit numbers read as years. */
export const YEAR: string = String.raw`(?:19\d\d|20\d\d|2100)`;
export const UNIT: string = "(?:day|week|month|year)";

export function monthNumber(word: string): number | undefined {
  return MONTH_WORDS.get(word.toLowerCase());
}

export function isAmbiguousMonth(word: string): boolean {
  return AMBIGUOUS_MONTHS.has(word.toLowerCase());
}

/** 0 for Monday to 6 for Sunday. */
export function weekdayNumber(word: string): number {
  return WEEKDAYS.indexOf(word.toLowerCase());
}

export function countValue(words: string): number | undefined {
  if (/^\d+$/.test(words)) return Number(words);
  return COUNT_WORDS.get(words.toLowerCase().replace(/\s+/g, " "));
}

export function isModalFollower(word: string | undefined): boolean {
  return word !== undefined && MODAL_FOLLOWERS.has(word.toLowerCase());
}

/** The word right after `end`, separated only by spaces; undefined when punctuation or the end comes first. */
export function wordAfter(query: string, end: number): string | undefined {
  return /^\s+([a-z]+)/i.exec(query.slice(end))?.[1];
}

/** A range's second half: the text before `index` ends with a month or number and "and", "to", "through"… or a dash. */
const RANGE_LEAD = new RegExp(String.raw`(?:(?<![a-z])${MONTH}|\d(?:st|nd|rd|th)?)\.?,?\s*(?:and|to|through|until|till|[-–—])\s*$`, "i");

/** Whether the words before `index` make what follows a time expression: a signal word, or a range's first half. */
export function hasSignalBefore(query: string, index: number): boolean {
  const before = query.slice(Math.max(0, index - 40), index);
  const word = /([a-z]+)[\s-]+$/i.exec(before)?.[1];
  return (word !== undefined && SIGNAL_WORDS.has(word.toLowerCase())) || RANGE_LEAD.test(before);
}

/** A regular-expression alternation of words, longest first so that "march" wins over "mar"; spaces match any whitespace. */
function alternation(words: readonly string[]): string {
  return `(?:${[...words].sort((a, b) => b.length - a.length).map((word) => word.replace(/ /g, String.raw`\s+`)).join("|")})`;
}
