import { randomBytes } from "node:crypto";

/** Makes a new unique id. Injected so that tests are deterministic. */
export type IdGenerator = () => string;

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * ULID-style ids: 48 bits of milliseconds then 80 random bits, in Crockford base32, so ids sort by
 * creation time and are safe in URLs.
 */
export function createUlidGenerator(clock: () => Date = () => new Date()): IdGenerator {
  return () => {
    let time = clock().getTime();
    let head = "";
    for (let index = 0; index < 10; index += 1) {
      head = CROCKFORD[time % 32] + head;
      time = Math.floor(time / 32);
    }
    const random = randomBytes(16);
    let tail = "";
    for (let index = 0; index < 16; index += 1) tail += CROCKFORD[random[index]! % 32];
    return head + tail;
  };
}
