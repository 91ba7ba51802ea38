import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryError } from "../domain/memory-error.js";
import { findTimeExpressions, type TimeExpression } from "./time-expressions.js";

/** A Thursday. */
const NOW = new Date("2023-06-15T12:00:00Z");

/** [query, text matched, from, to, anchor]; from and to are UTC days ("2023-05-01") or full ISO times, null when open. */
type Case = [query: string, text: string, from: string | null, to: string | null, anchor: TimeExpression["anchor"]];

function iso(day: string | null): string | null {
  if (day === null) return null;
  return day.length === 10 ? `${day}T00:00:00.000Z` : day;
}

/** The expressions as ISO strings, so that a failure shows readable dates. */
function readable(query: string, now: Date = NOW): Array<Omit<TimeExpression, "from" | "to"> & { from: string | null; to: string | null }> {
  return findTimeExpressions(query, now).map((found) => ({
    ...found,
    from: found.from === null ? null : new Date(found.from).toISOString(),
    to: found.to === null ? null : new Date(found.to).toISOString(),
  }));
}

function expectOne(cases: readonly Case[], now: Date = NOW): void {
  for (const [query, text, from, to, anchor] of cases) {
    it(`"${query}" → ${from ?? "…"} to ${to ?? "…"}`, () => {
      assert.deepEqual(readable(query, now), [{ text, index: query.indexOf(text), from: iso(from), to: iso(to), anchor }]);
    });
  }
}

describe("findTimeExpressions", () => {
  describe("years", () => {
    expectOne([
      ["What did Alice do in 2022?", "2022", "2022-01-01", "2023-01-01", "absolute"],
      ["2023", "2023", "2023-01-01", "2024-01-01", "absolute"],
      ["Where did she live during 2021?", "2021", "2021-01-01", "2022-01-01", "absolute"],
      ["in the year 2020", "the year 2020", "2020-01-01", "2021-01-01", "absolute"],
      ["2023 was busy for Bob", "2023", "2023-01-01", "2024-01-01", "absolute"],
      ["she ran 2023 miles in 2022", "2022", "2022-01-01", "2023-01-01", "absolute"],
      ["in 1900", "1900", "1900-01-01", "1901-01-01", "absolute"],
      ["in 2100", "2100", "2100-01-01", "2101-01-01", "absolute"],
      ["early 2023", "early 2023", "2023-01-01", "2023-05-01", "absolute"],
      ["mid-2022", "mid-2022", "2022-05-01", "2022-09-01", "absolute"],
      ["by the end of 2022", "by the end of 2022", null, "2023-01-01", "absolute"],
      ["music of the 1990s", "the 1990s", "1990-01-01", "2000-01-01", "absolute"],
    ]);
  });

  describe("months", () => {
    expectOne([
      ["What did Alice do in May 2023?", "May 2023", "2023-05-01", "2023-06-01", "absolute"],
      ["May of 2022", "May of 2022", "2022-05-01", "2022-06-01", "absolute"],
      ["MAY 2023", "MAY 2023", "2023-05-01", "2023-06-01", "absolute"],
      ["last May", "last May", "2023-05-01", "2023-06-01", "relative"],
      ["this May", "this May", "2023-05-01", "2023-06-01", "relative"],
      ["next May", "next May", "2024-05-01", "2024-06-01", "relative"],
      ["in May", "May", "2023-05-01", "2023-06-01", "relative"],
      ["in june", "june", "2023-06-01", "2023-07-01", "relative"],
      ["in July", "July", "2022-07-01", "2022-08-01", "relative"],
      ["December", "December", "2022-12-01", "2023-01-01", "relative"],
      ["in Jan", "Jan", "2023-01-01", "2023-02-01", "relative"],
      ["early May 2023", "early May 2023", "2023-05-01", "2023-05-11", "absolute"],
      ["mid May 2023", "mid May 2023", "2023-05-11", "2023-05-21", "absolute"],
      ["late May 2023", "late May 2023", "2023-05-21", "2023-06-01", "absolute"],
      ["late February 2024", "late February 2024", "2024-02-21", "2024-03-01", "absolute"],
      ["mid-May", "mid-May", "2023-05-11", "2023-05-21", "relative"],
      ["at the end of March", "the end of March", "2023-03-21", "2023-04-01", "relative"],
    ]);
  });

  describe("days", () => {
    expectOne([
      ["on 8 May 2023", "8 May 2023", "2023-05-08", "2023-05-09", "absolute"],
      ["May 8, 2023", "May 8, 2023", "2023-05-08", "2023-05-09", "absolute"],
      ["8th of May 2023", "8th of May 2023", "2023-05-08", "2023-05-09", "absolute"],
      ["on the 8th of May, 2023", "the 8th of May, 2023", "2023-05-08", "2023-05-09", "absolute"],
      ["Tuesday, May 9, 2023", "Tuesday, May 9, 2023", "2023-05-09", "2023-05-10", "absolute"],
      ["May 8th", "May 8th", "2023-05-08", "2023-05-09", "relative"],
      ["June 20", "June 20", "2022-06-20", "2022-06-21", "relative"],
      ["on June 15", "June 15", "2023-06-15", "2023-06-16", "relative"],
      ["2023-05-08", "2023-05-08", "2023-05-08", "2023-05-09", "absolute"],
      ["at 2023-05-08T13:56:00Z", "2023-05-08", "2023-05-08", "2023-05-09", "absolute"],
      ["5/8/2023", "5/8/2023", "2023-05-08", "2023-05-09", "absolute"],
      ["15/8/2023", "15/8/2023", "2023-08-15", "2023-08-16", "absolute"],
      ["yesterday", "yesterday", "2023-06-14", "2023-06-15", "relative"],
      ["Today", "Today", "2023-06-15", "2023-06-16", "relative"],
      ["tomorrow", "tomorrow", "2023-06-16", "2023-06-17", "relative"],
      ["the day before yesterday", "the day before yesterday", "2023-06-13", "2023-06-14", "relative"],
      ["what did she eat last night?", "last night", "2023-06-14", "2023-06-15", "relative"],
      ["last Tuesday", "last Tuesday", "2023-06-13", "2023-06-14", "relative"],
      ["last Thursday", "last Thursday", "2023-06-08", "2023-06-09", "relative"],
      ["on Tuesday", "Tuesday", "2023-06-13", "2023-06-14", "relative"],
      ["on Thursday", "Thursday", "2023-06-15", "2023-06-16", "relative"],
      ["Friday", "Friday", "2023-06-09", "2023-06-10", "relative"],
      ["this Friday", "this Friday", "2023-06-16", "2023-06-17", "relative"],
      ["this Monday", "this Monday", "2023-06-12", "2023-06-13", "relative"],
      ["next Friday", "next Friday", "2023-06-23", "2023-06-24", "relative"],
    ]);
  });

  describe("relative weeks, months and years", () => {
    expectOne([
      ["last week", "last week", "2023-06-05", "2023-06-12", "relative"],
      ["this week", "this week", "2023-06-12", "2023-06-19", "relative"],
      ["next week", "next week", "2023-06-19", "2023-06-26", "relative"],
      ["last month", "last month", "2023-05-01", "2023-06-01", "relative"],
      ["earlier this month", "this month", "2023-06-01", "2023-07-01", "relative"],
      ["Last year", "Last year", "2022-01-01", "2023-01-01", "relative"],
      ["this year", "this year", "2023-01-01", "2024-01-01", "relative"],
      ["last weekend", "last weekend", "2023-06-10", "2023-06-12", "relative"],
      ["this past weekend", "this past weekend", "2023-06-10", "2023-06-12", "relative"],
      ["this weekend", "this weekend", "2023-06-17", "2023-06-19", "relative"],
      ["the past 3 days", "the past 3 days", "2023-06-12", "2023-06-16", "relative"],
      ["in the last two weeks", "the last two weeks", "2023-06-01", "2023-06-16", "relative"],
      ["over the past few months", "the past few months", "2023-03-15", "2023-06-16", "relative"],
      ["the past week", "the past week", "2023-06-08", "2023-06-16", "relative"],
      ["the past couple of years", "the past couple of years", "2021-06-15", "2023-06-16", "relative"],
      ["two weeks ago", "two weeks ago", "2023-05-29", "2023-06-05", "relative"],
      ["3 days ago", "3 days ago", "2023-06-12", "2023-06-13", "relative"],
      ["a month ago", "a month ago", "2023-05-01", "2023-06-01", "relative"],
      ["a year ago", "a year ago", "2022-01-01", "2023-01-01", "relative"],
      ["twenty years ago", "twenty years ago", "2003-01-01", "2004-01-01", "relative"],
      ["a couple of weeks ago", "a couple of weeks ago", "2023-05-29", "2023-06-05", "relative"],
    ]);
  });

  describe("ranges", () => {
    expectOne([
      ["before 2022", "before 2022", null, "2022-01-01", "absolute"],
      ["after May 2023", "after May 2023", "2023-06-01", null, "absolute"],
      ["since March", "since March", "2023-03-01", null, "relative"],
      ["since last May", "since last May", "2023-05-01", null, "relative"],
      ["until 2021", "until 2021", null, "2022-01-01", "absolute"],
      ["until yesterday", "until yesterday", null, "2023-06-15", "relative"],
      ["prior to 8 May 2023", "prior to 8 May 2023", null, "2023-05-08", "absolute"],
      ["between March and June 2023", "between March and June 2023", "2023-03-01", "2023-07-01", "absolute"],
      ["between November and February 2023", "between November and February 2023", "2022-11-01", "2023-03-01", "absolute"],
      ["from November 2022 to February", "from November 2022 to February", "2022-11-01", "2023-03-01", "absolute"],
      ["from March to June", "from March to June", "2023-03-01", "2023-07-01", "relative"],
      ["from 2019 to 2021", "from 2019 to 2021", "2019-01-01", "2022-01-01", "absolute"],
      ["from 2019 until 2021", "from 2019 until 2021", "2019-01-01", "2022-01-01", "absolute"],
      ["between 2019 and 2021", "between 2019 and 2021", "2019-01-01", "2022-01-01", "absolute"],
      ["2019-2021", "2019-2021", "2019-01-01", "2022-01-01", "absolute"],
      ["between May 8 and June 2, 2022", "between May 8 and June 2, 2022", "2022-05-08", "2022-06-03", "absolute"],
    ]);
  });

  describe("seasons (northern meteorological)", () => {
    expectOne([
      ["summer 2022", "summer 2022", "2022-06-01", "2022-09-01", "absolute"],
      ["the summer of 2022", "the summer of 2022", "2022-06-01", "2022-09-01", "absolute"],
      ["fall 2022", "fall 2022", "2022-09-01", "2022-12-01", "absolute"],
      ["winter 2022", "winter 2022", "2022-12-01", "2023-03-01", "absolute"],
      ["late summer 2021", "late summer 2021", "2021-08-01", "2021-09-01", "absolute"],
      ["last summer", "last summer", "2022-06-01", "2022-09-01", "relative"],
      ["last spring", "last spring", "2023-03-01", "2023-06-01", "relative"],
      ["this summer", "this summer", "2023-06-01", "2023-09-01", "relative"],
      ["in the spring", "the spring", "2023-03-01", "2023-06-01", "relative"],
      ["in the fall", "the fall", "2022-09-01", "2022-12-01", "relative"],
      ["last winter", "last winter", "2022-12-01", "2023-03-01", "relative"],
    ]);
  });

  describe("words that are not time expressions", () => {
    const queries = [
      "may I ask what Alice likes?",
      "MAY I help?",
      "Will may come",
      "this may be wrong",
      "3 may be enough",
      "they march 3 miles",
      "the march on Washington",
      "June said hi",
      "I talked to June",
      "Jan said hi",
      "what did Caroline paint?",
      "When did Caroline go to the LGBTQ support group?",
      "3 cats",
      "the 4th item",
      "she has 2023 followers",
      "2000 people",
      "it costs $2023",
      "version 1.2023",
      "2101",
      "1899",
      "on Sundays",
      "at 8:30",
      "did she fall?",
      "the summer camp",
      "the last one",
      "last time",
      "the last year of college",
      "the next week",
      "recently",
      "the other day",
      "she stayed 2 weeks",
      "in two weeks",
      "a week later",
      "twenty-one days ago",
      "the past 0 days",
    ];
    for (const query of queries) {
      it(`"${query}" names no period`, () => assert.deepEqual(readable(query), []));
    }
  });

  describe("dates that do not exist", () => {
    for (const query of ["Feb 30, 2023", "30 February 2023", "29 February 2023", "2/30/2023", "13/45/2023", "2023-02-29", "2023-13-01", "May 45"]) {
      it(`"${query}" names no period, not even its month or year`, () => assert.deepEqual(readable(query), []));
    }
  });

  describe("leap years", () => {
    expectOne([
      ["29 February 2024", "29 February 2024", "2024-02-29", "2024-03-01", "absolute"],
      ["February 2024", "February 2024", "2024-02-01", "2024-03-01", "absolute"],
      ["Feb 29", "Feb 29", "2020-02-29", "2020-03-01", "relative"],
      ["between Feb 29 and March 2024", "between Feb 29 and March 2024", "2024-02-29", "2024-04-01", "absolute"],
    ]);
    describe("on 31 March 2024", () => {
      expectOne(
        [
          ["a month ago", "a month ago", "2024-02-01", "2024-03-01", "relative"],
          ["the past month", "the past month", "2024-02-29", "2024-04-01", "relative"],
          ["Feb 29", "Feb 29", "2024-02-29", "2024-03-01", "relative"],
        ],
        new Date("2024-03-31T10:00:00Z"),
      );
    });
  });

  describe("in January (year boundaries)", () => {
    expectOne(
      [
        ["last month", "last month", "2022-12-01", "2023-01-01", "relative"],
        ["next month", "next month", "2023-02-01", "2023-03-01", "relative"],
        ["last year", "last year", "2022-01-01", "2023-01-01", "relative"],
        ["a month ago", "a month ago", "2022-12-01", "2023-01-01", "relative"],
        ["in December", "December", "2022-12-01", "2023-01-01", "relative"],
        ["this winter", "this winter", "2022-12-01", "2023-03-01", "relative"],
        ["last winter", "last winter", "2021-12-01", "2022-03-01", "relative"],
        ["between November and February", "between November and February", "2022-11-01", "2023-03-01", "relative"],
      ],
      new Date("2023-01-10T08:00:00Z"),
    );
  });

  describe("on Sunday 1 January 2023 (week boundaries)", () => {
    expectOne(
      [
        ["last week", "last week", "2022-12-19", "2022-12-26", "relative"],
        ["this week", "this week", "2022-12-26", "2023-01-02", "relative"],
        ["yesterday", "yesterday", "2022-12-31", "2023-01-01", "relative"],
        ["last weekend", "last weekend", "2022-12-24", "2022-12-26", "relative"],
        ["this weekend", "this weekend", "2022-12-31", "2023-01-02", "relative"],
        ["on Sunday", "Sunday", "2023-01-01", "2023-01-02", "relative"],
        ["last Sunday", "last Sunday", "2022-12-25", "2022-12-26", "relative"],
        ["this Monday", "this Monday", "2022-12-26", "2022-12-27", "relative"],
      ],
      new Date("2023-01-01T00:00:00Z"),
    );
  });

  describe("on Monday 19 June 2023 at 00:30 (week boundaries)", () => {
    expectOne(
      [
        ["last week", "last week", "2023-06-12", "2023-06-19", "relative"],
        ["this week", "this week", "2023-06-19", "2023-06-26", "relative"],
        ["last Monday", "last Monday", "2023-06-12", "2023-06-13", "relative"],
      ],
      new Date("2023-06-19T00:30:00Z"),
    );
  });

  it("documents its example", () => {
    assert.deepEqual(findTimeExpressions("what did Alice do last May?", NOW), [
      { text: "last May", index: 18, from: Date.UTC(2023, 4, 1), to: Date.UTC(2023, 5, 1), anchor: "relative" },
    ]);
  });

  it("returns every expression, in query order", () => {
    assert.deepEqual(readable("Did Alice move in May 2022 or after June 2023, or last week?"), [
      { text: "May 2022", index: 18, from: iso("2022-05-01"), to: iso("2022-06-01"), anchor: "absolute" },
      { text: "after June 2023", index: 30, from: iso("2023-07-01"), to: null, anchor: "absolute" },
      { text: "last week", index: 50, from: iso("2023-06-05"), to: iso("2023-06-12"), anchor: "relative" },
    ]);
  });

  it("prefers the longest of overlapping matches", () => {
    assert.deepEqual(
      readable("on 8 May 2023").map((found) => found.text),
      ["8 May 2023"],
    );
    assert.deepEqual(
      readable("since last May").map((found) => found.text),
      ["since last May"],
    );
  });

  it("reads \"the last … of\" as part of what follows, not as a window ending now", () => {
    assert.deepEqual(
      readable("in the last two weeks of 2022").map((found) => found.text),
      ["2022"],
    );
  });

  it("does not resolve offsets from an event or a date, and does not mistake them for something else", () => {
    assert.deepEqual(readable("two weeks before the trip"), []);
    assert.deepEqual(readable("two weeks before May 8, 2023"), []);
    assert.deepEqual(readable("What did Melanie do the week before 8 May 2023?"), []);
    assert.deepEqual(readable("3 days after Tuesday"), []);
  });

  it("is case-insensitive", () => {
    assert.deepEqual(readable("LAST WEEK"), [{ text: "LAST WEEK", index: 0, from: iso("2023-06-05"), to: iso("2023-06-12"), anchor: "relative" }]);
  });

  it("rejects an invalid now", () => {
    assert.throws(() => findTimeExpressions("last week", new Date("nope")), (error) => error instanceof MemoryError && error.code === "invalid_input");
  });
});
