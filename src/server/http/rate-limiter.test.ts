import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryError } from "../../domain/memory-error.js";
import { createRateLimiter } from "./rate-limiter.js";

describe("createRateLimiter", () => {
  it("lets a burst through, then one request per refill interval, and tells how long to wait", () => {
    let time = 1_000_000;
    const limiter = createRateLimiter({ requestsPerSecond: 4, burst: 3 }, () => time);
    assert.deepEqual([limiter.take("a"), limiter.take("a"), limiter.take("a")], [0, 0, 0]);
    assert.equal(limiter.take("a"), 250, "a quarter second until the next token");
    time += 100;
    assert.equal(limiter.take("a"), 150);
    time += 150;
    assert.equal(limiter.take("a"), 0);
    assert.equal(limiter.take("a"), 250);
    assert.equal(limiter.take("b"), 0, "each key has its own allowance");
    time += 60_000;
    assert.deepEqual([limiter.take("a"), limiter.take("a"), limiter.take("a"), limiter.take("a") > 0], [0, 0, 0, true], "refills to the burst, no further");
  });

  it("defaults the burst to two seconds' worth, and a key swept away once back at its burst comes back with its full burst", () => {
    let time = 0;
    const limiter = createRateLimiter({ requestsPerSecond: 1 }, () => time);
    assert.deepEqual([limiter.take("k"), limiter.take("k"), limiter.take("k")], [0, 0, 1_000]);
    for (let key = 0; key < 10_000; key++) limiter.take(`key-${key}`);
    time += 10_000;
    // The sweep drops every full bucket; "k" comes back at its full burst, as it would have anyway.
    assert.deepEqual([limiter.take("k"), limiter.take("k"), limiter.take("k")], [0, 0, 1_000]);
  });

  it("refuses limits that are not positive numbers", () => {
    for (const limit of [{ requestsPerSecond: 0 }, { requestsPerSecond: -1 }, { requestsPerSecond: Number.NaN }, { requestsPerSecond: 5, burst: 0.5 }]) {
      assert.throws(() => createRateLimiter(limit, Date.now), (error: unknown) => error instanceof MemoryError && error.code === "invalid_input");
    }
  });
});
