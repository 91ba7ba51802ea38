import type { Period } from "./calendar.js";

export type Anchor = "absolute" | "relative";

/** A period named by words of a query, before "before", "since", "between … and …" turn it into a range. */
export interface Point extends Period {
  anchor: Anchor;
  /**
   * The same words read in another year; only for words that named none ("March", "May 8"), so that a
   * range can lend them its other end's year ("between March and June 2022").
   */
  inYear?: (year: number) => Period | undefined;
}

/** A period, possibly open at one end (`null`). */
export interface Range {
  from: number | null;
  to: number | null;
  anchor: Anchor;
}

/** Words found at `index` up to `end` (exclusive). A `null` value hides them and any overlapping, shorter words. */
export interface Found<T> {
  index: number;
  end: number;
  value: T | null;
}

/** One kind of time expression: a pattern and how to read what it matched. */
export interface TimeRule {
  /** Global and case-insensitive. */
  pattern: RegExp;
  /**
   * The point the words name, relative to `now` (epoch ms) where needed. Undefined when the words are not a
   * time expression here ("may I ask"); null when they have the form of a date but name none ("Feb 30"),
   * which hides them rather than letting a shorter match ("Feb") through.
   */
  resolve(match: RegExpMatchArray, query: string, now: number): Point | null | undefined;
}
