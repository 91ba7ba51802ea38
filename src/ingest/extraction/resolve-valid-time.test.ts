import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryError } from "../../domain/memory-error.js";
import { resolveValidTime } from "./resolve-valid-time.js";

/** A Monday afternoon. */
const SAID_AT = Date.parse("2023-05-08T14:00:00Z");

/** [when, expected start as an ISO time, or null]. */
const CASES: ReadonlyArray<[when: string | null, expected: string | null]> = [
  ["yesterday", "2023-05-07T00:00:00.000Z"],
  ["Yesterday", "2023-05-07T00:00:00.000Z"],
  ["today", "2023-05-08T00:00:00.000Z"],
  ["last week", "2023-05-01T00:00:00.000Z"],
  ["two weeks ago", "2023-04-24T00:00:00.000Z"],
  ["last Sunday", "2023-05-07T00:00:00.000Z"],
  ["in May 2023", "2023-05-01T00:00:00.000Z"],
  ["in May", "2023-05-01T00:00:00.000Z"],
  ["last year", "2022-01-01T00:00:00.000Z"],
  ["since 2021", "2021-01-01T00:00:00.000Z"],
  ["between March and June 2022", "2022-03-01T00:00:00.000Z"],
  ["the summer of 2020", "2020-06-01T00:00:00.000Z"],
  ["2023-05-07", "2023-05-07T00:00:00.000Z"],
  ["2023-05-07T10:00:00Z", "2023-05-07T10:00:00.000Z"],
  ["2023-05-07T10:00:00.250Z", "2023-05-07T10:00:00.250Z"],
  ["2023-05-07T10:00", "2023-05-07T10:00:00.000Z"],
  ["2023-05-07 10:00:00+02:00", "2023-05-07T08:00:00.000Z"],
  ["2023-05-07T10:00:00-0530", "2023-05-07T15:30:00.000Z"],
  ["  2023-05-07  ", "2023-05-07T00:00:00.000Z"],
  ["around 2023-05-07, I think", "2023-05-07T00:00:00.000Z"],
  ["tomorrow", "2023-05-09T00:00:00.000Z"],
  ["before 2022", null],
  ["until last week", null],
  ["someday", null],
  ["when we were kids", null],
  ["garbage 🙂", null],
  ["", null],
  ["   ", null],
  [null, null],
  ["2023-02-30", null],
  ["2023-05-07T25:00:00Z", null],
];

describe("resolveValidTime", () => {
  for (const [when, expected] of CASES) {
    it(`${JSON.stringify(when)} → ${expected ?? "null"}`, () => {
      const resolved = resolveValidTime(when, SAID_AT);
      assert.equal(resolved === null ? null : new Date(resolved).toISOString(), expected);
    });
  }

  it("reads relative words in UTC from the time the turn was said", () => {
    assert.equal(resolveValidTime("yesterday", Date.parse("2023-05-08T00:30:00Z")), Date.UTC(2023, 4, 7));
    assert.equal(resolveValidTime("yesterday", Date.parse("2023-05-08T23:30:00Z")), Date.UTC(2023, 4, 7));
  });

  it("keeps the cost of a runaway input bounded", () => {
    assert.equal(resolveValidTime("word ".repeat(100_000), SAID_AT), null);
  });

  it("rejects a said-at time that is not a number", () => {
    assert.throws(() => resolveValidTime("yesterday", Number.NaN), (error) => error instanceof MemoryError && error.code === "invalid_input");
  });
});
