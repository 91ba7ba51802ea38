import { invalidInput } from "../../domain/memory-error.js";

export interface RateLimit {
  /** Requests each key may make per second, on average. */
  requestsPerSecond: number;
  /** How many it may make at once after a quiet spell. @default 2 × requestsPerSecond */
  burst?: number;
}

export interface RateLimiter {
  /** Takes one request from the key's allowance: 0 if it may go now, otherwise the milliseconds until it may. */
  take(key: string): number;
}

/** Buckets kept before the full ones (keys quiet long enough to be back at their burst) are dropped. */
const SWEEP_AT = 10_000;

/**
 * A token bucket per key: `burst` tokens, refilled at `requestsPerSecond`. A bucket that has refilled is
 * the same as no bucket, so memory stays bounded by the keys active in the last few seconds.
 */
export function createRateLimiter(limit: RateLimit, now: () => number): RateLimiter {
  const rate = validRate(limit);
  const burst = limit.burst === undefined ? Math.max(1, 2 * rate) : validBurst(limit.burst);
  const perMs = rate / 1_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  let swept = Number.NEGATIVE_INFINITY;
  const level = (bucket: { tokens: number; at: number }, time: number): number => Math.min(burst, bucket.tokens + (time - bucket.at) * perMs);
  return {
    take: (key) => {
      const time = now();
      // At most one sweep a second: with many keys active at once, a sweep per request would cost O(keys) each.
      if (buckets.size >= SWEEP_AT && time - swept >= 1_000) {
        swept = time;
        for (const [name, bucket] of buckets) if (level(bucket, time) >= burst) buckets.delete(name);
      }
      const bucket = buckets.get(key) ?? { tokens: burst, at: time };
      const tokens = level(bucket, time);
      if (tokens < 1) return Math.ceil((1 - tokens) / perMs);
      buckets.set(key, { tokens: tokens - 1, at: time });
      return 0;
    },
  };
}

function validRate(limit: RateLimit): number {
  const rate = limit?.requestsPerSecond;
  if (typeof rate !== "number" || !Number.isFinite(rate) || rate <= 0) {
    throw invalidInput("rateLimit.requestsPerSecond", `must be a positive number of requests per second, got ${String(rate)}. Turn limits off with rateLimit: false.`);
  }
  return rate;
}

function validBurst(burst: unknown): number {
  if (typeof burst !== "number" || !Number.isInteger(burst) || burst < 1) {
    throw invalidInput("rateLimit.burst", `must be a whole number of requests, at least 1, got ${String(burst)}.`);
  }
  return burst;
}
