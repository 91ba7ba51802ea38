import { randomBytes } from "node:crypto";

/** Makes a new unique id. Injected so that tests are deterministic. */
export type IdGenerator = () => string;

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";
const RANDOM_BITS = 80n;

/**
 * Monotonic ULIDs: 48 bits of milliseconds then 80 random bits, in lower-case Crockford base32. Ids made
 * later sort later, even within one millisecond (the random part is incremented), so the order in which
 * memories were written can be read from their ids.
 */
export function createUlidGenerator(clock: () => Date = () => new Date()): IdGenerator {
  let lastTime = -1;
  let lastRandom = 0n;
  return () => {
    const time = Math.max(clock().getTime(), lastTime);
    lastRandom = time === lastTime ? (lastRandom + 1n) % (1n << RANDOM_BITS) : BigInt(`0x${randomBytes(10).toString("hex")}`);
    lastTime = time;
    return encode(BigInt(time), 10) + encode(lastRandom, 16);
  };
}

function encode(value: bigint, length: number): string {
  let text = "";
  for (let index = 0; index < length; index += 1) {
    text = CROCKFORD[Number(value % 32n)] + text;
    value /= 32n;
  }
  return text;
}
