import { InvalidArgumentError } from "commander";

/** A commander option parser that accepts only whole numbers in [min, max]; anything else is a usage error. */
export function integerOption(flag: string, range: { min: number; max: number }): (value: string) => number {
  return (value) => {
    const number = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < range.min || number > range.max) {
      throw new InvalidArgumentError(`${flag} must be a whole number from ${range.min} to ${range.max.toLocaleString("en-US")}.`);
    }
    return number;
  };
}
