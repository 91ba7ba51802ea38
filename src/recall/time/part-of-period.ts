import { DAY_MS, monthsPeriod, type Period } from "./calendar.js";

/** "early", "mid" or "late": the first, middle or last third of a period. */
export type PartOfPeriod = "early" | "mid" | "late";

const PART_WORDS: ReadonlyMap<string, PartOfPeriod> = new Map([
  ["early", "early"],
  ["start", "early"],
  ["beginning", "early"],
  ["mid", "mid"],
  ["middle", "mid"],
  ["late", "late"],
  ["end", "late"],
]);

/** Matches "early", "mid", "late", "the start of", "the middle of", "the end of"… (no capture groups). */
export const PART_OF_PERIOD: string = String.raw`(?:early|mid|late|the\s+(?:start|beginning|middle|end)\s+of)`;

/** The part named by words that matched PART_OF_PERIOD; undefined for none. */
export function partOfPeriod(words: string | undefined): PartOfPeriod | undefined {
  if (words === undefined) return undefined;
  const word = /(early|mid|late|start|beginning|middle|end)\b/i.exec(words)?.[1]?.toLowerCase();
  return word === undefined ? undefined : PART_WORDS.get(word);
}

/** A month, or one of its thirds: days 1–10, 11–20 and 21 to the end. */
export function monthPart(year: number, month: number, part: PartOfPeriod | undefined): Period {
  const whole = monthsPeriod(year, month);
  if (part === "early") return { from: whole.from, to: whole.from + 10 * DAY_MS };
  if (part === "mid") return { from: whole.from + 10 * DAY_MS, to: whole.from + 20 * DAY_MS };
  if (part === "late") return { from: whole.from + 20 * DAY_MS, to: whole.to };
  return whole;
}

/**
 * `count` months from `firstMonth` (a year: 12, a season: 3), or one of their thirds in whole months:
 * "early 2023" is January–April, "late summer 2022" is August 2022.
 */
export function monthsPart(year: number, firstMonth: number, count: number, part: PartOfPeriod | undefined): Period {
  if (part === undefined) return monthsPeriod(year, firstMonth, count);
  const third = count / 3;
  const offset = part === "early" ? 0 : part === "mid" ? third : 2 * third;
  return monthsPeriod(year, firstMonth + offset, third);
}
