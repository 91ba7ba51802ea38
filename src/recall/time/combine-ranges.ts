import { utcYear, type Period } from "./calendar.js";
import type { Anchor, Found, Point, Range } from "./time-rule.js";
import { COUNT, UNIT } from "./vocabulary.js";

/** Words that open a range on one side of a point, and which end of the point they keep. */
const OPEN_RANGES: ReadonlyArray<{ words: RegExp; range: (point: Point) => Range }> = [
  { words: /(?<!\w)(?:before|prior\s+to|earlier\s+than)\s+$/i, range: (point) => ({ from: null, to: point.from, anchor: point.anchor }) },
  { words: /(?<!\w)(?:after|later\s+than)\s+$/i, range: (point) => ({ from: point.to, to: null, anchor: point.anchor }) },
  { words: /(?<!\w)since\s+$/i, range: (point) => ({ from: point.from, to: null, anchor: point.anchor }) },
  { words: /(?<!\w)(?:until|till|through|up\s+to|by)\s+$/i, range: (point) => ({ from: null, to: point.to, anchor: point.anchor }) },
];

/**
 * "two weeks before May 8", "three days after Tuesday"… are relative to their point, and "two weeks before
 * the trip" to an event only the conversation knows. Neither is resolved: they hide the point.
 */
const OFFSET_FROM_POINT = new RegExp(String.raw`(?<!\w)(?:${COUNT}|the)\s+${UNIT}s?\s+(?:before|after|prior\s+to|earlier\s+than|later\s+than)\s+$`, "i");

/** "between X and Y", "from X to/until/through Y", "X–Y": the words before X, and what may join X to Y. */
const CLOSED_RANGES: ReadonlyArray<{ lead: RegExp; join: RegExp }> = [
  { lead: /(?<!\w)between\s+$/i, join: /^\s*(?:and|[-–—])\s*$/i },
  { lead: /(?<!\w)from\s+$/i, join: /^\s*(?:to|until|till|through|thru|[-–—])\s*$/i },
  { lead: /$/, join: /^\s*[-–—]\s*$/ },
];

/** How far back the words before a point are read; range words are short. */
const LOOK_BACK = 60;

/**
 * Ranges built from points found in `query` (non-overlapping, in query order): "before 2022" (ends where
 * 2022 starts), "after May 2023" (starts where May ends), "since March" (starts where March starts),
 * "until 2021", "through 2021", "by 2021" (end where 2021 ends), "between March and June 2023",
 * "from 2019 to 2021" (first start to last end). Also hides offsets from a point (see OFFSET_FROM_POINT).
 */
export function combineRanges(query: string, points: ReadonlyArray<Found<Point>>): Found<Range>[] {
  const ranges: Found<Range>[] = [];
  points.forEach((found, position) => {
    const point = found.value;
    if (point === null) return;
    const start = Math.max(0, found.index - LOOK_BACK);
    const before = query.slice(start, found.index);
    const offset = OFFSET_FROM_POINT.exec(before);
    if (offset) {
      ranges.push({ index: start + offset.index, end: found.end, value: null });
      return;
    }
    for (const open of OPEN_RANGES) {
      const words = open.words.exec(before);
      if (words) ranges.push({ index: start + words.index, end: found.end, value: open.range(point) });
    }
    const next = points[position + 1];
    if (next?.value == null) return;
    const between = query.slice(found.end, next.index);
    const closed = CLOSED_RANGES.find((range) => range.lead.test(before) && range.join.test(between));
    if (closed) {
      const lead = closed.lead.exec(before);
      ranges.push({ index: start + (lead?.index ?? before.length), end: next.end, value: closedRange(point, next.value) });
    }
  });
  return ranges;
}

/**
 * From the start of `first` to the end of `last`. An end that named no year takes the other's: the start
 * the year before if it would otherwise begin after the end ("between November and February 2023"), the
 * end the year after if it would otherwise finish before the start ("from November 2022 to February").
 * When neither named a year, the end follows the start ("between November and February" in January 2023
 * is November 2022 to February 2023).
 */
function closedRange(first: Point, last: Point): Range | null {
  let start: Period | undefined = first;
  let end: Period | undefined = last;
  let anchor: Anchor = first.anchor === "absolute" && last.anchor === "absolute" ? "absolute" : "relative";
  if (first.inYear && !last.inYear) {
    const year = utcYear(last.from);
    start = first.inYear(year);
    if (start && start.from >= last.from) start = first.inYear(year - 1);
    anchor = last.anchor;
  } else if (last.inYear) {
    const year = utcYear(first.from);
    end = last.inYear(year);
    if (end && end.to <= first.from) end = last.inYear(year + 1);
    anchor = first.anchor;
  }
  if (start === undefined || end === undefined) return null;
  return { from: Math.min(start.from, end.from), to: Math.max(start.to, end.to), anchor };
}
