/** The first retry waits about this long; each further retry doubles it. */
export const INITIAL_BACKOFF_MS = 500;
/** Backoff never grows past this (a server's `Retry-After` may ask for longer, up to `maxRetryAfterMs`). */
export const MAX_BACKOFF_MS = 8_000;

/**
 * Exponential backoff with "equal jitter": retry n waits between half and all of
 * `INITIAL_BACKOFF_MS * 2^(n-1)` (capped), so clients that failed together do not retry together.
 *
 * @param retry 1 for the first retry.
 * @param random uniform in [0, 1).
 */
export function backoffMs(retry: number, random: () => number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** (retry - 1));
  return Math.round(exponential * (0.5 + 0.5 * random()));
}

/**
 * How long the server asked us to wait, in ms, or `undefined` when it did not say (or said something
 * unreadable). Reads OpenAI's `retry-after-ms`, then the standard `Retry-After` in seconds or as an HTTP
 * date (relative to `now`). A date in the past means "now": 0.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const milliseconds = Number(headers.get("retry-after-ms") ?? Number.NaN);
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.ceil(milliseconds);
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^[+-]?\d+(\.\d+)?$/.test(value)) return Number(value) < 0 ? undefined : Math.ceil(Number(value) * 1000);
  // An HTTP date names its weekday and month; without a letter, Date.parse would take "12" for a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
