import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffMs, INITIAL_BACKOFF_MS, MAX_BACKOFF_MS, retryAfterMs } from "./retry-delay.js";

describe("backoffMs", () => {
  it("doubles with each retry, between half and all of the step, up to the cap", () => {
    assert.deepEqual([1, 2, 3, 4].map((retry) => backoffMs(retry, () => 0)), [250, 500, 1000, 2000]);
    assert.deepEqual([1, 2, 3, 4].map((retry) => backoffMs(retry, () => 0.999_999)), [500, 1000, 2000, 4000]);
    assert.equal(backoffMs(30, () => 0.999_999), MAX_BACKOFF_MS);
    assert.equal(backoffMs(30, () => 0), MAX_BACKOFF_MS / 2);
    assert.equal(backoffMs(1, () => 0.5), INITIAL_BACKOFF_MS * 0.75);
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2024-03-01T12:00:00Z");
  const read = (headers: Record<string, string>): number | undefined => retryAfterMs(new Headers(headers), now);

  it("reads seconds, fractions of seconds and HTTP dates", () => {
    assert.equal(read({ "retry-after": "2" }), 2000);
    assert.equal(read({ "retry-after": " 0.25 " }), 250);
    assert.equal(read({ "retry-after": "Fri, 01 Mar 2024 12:01:00 GMT" }), 60_000);
  });

  it("prefers OpenAI's retry-after-ms", () => {
    assert.equal(read({ "retry-after-ms": "1500.2", "retry-after": "9" }), 1501);
  });

  it("treats a date in the past as now, and ignores what it cannot read", () => {
    assert.equal(read({ "retry-after": "Thu, 29 Feb 2024 12:00:00 GMT" }), 0);
    assert.equal(read({}), undefined);
    assert.equal(read({ "retry-after": "soon" }), undefined);
    assert.equal(read({ "retry-after": "-3" }), undefined);
    assert.equal(read({ "retry-after-ms": "-1" }), undefined);
  });
});
