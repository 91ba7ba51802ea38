import { invalidInput } from "../domain/memory-error.js";

/**
 * Checks the `texts` argument of `Embedder.embed` the way the port's contract says: an array of strings,
 * each with a non-whitespace character. Shared by the adapters so they fail alike, before any request.
 */
export function checkTexts(texts: readonly string[]): void {
  if (!Array.isArray(texts)) throw invalidInput("texts", `must be an array of strings, got ${describe(texts)}.`);
  texts.forEach((text: unknown, index) => {
    if (typeof text !== "string") throw invalidInput(`texts[${index}]`, `must be a string, got ${describe(text)}.`);
    if (text.trim() === "") throw invalidInput(`texts[${index}]`, "must contain a non-whitespace character: embedding providers reject or mis-embed empty text. Leave it out.");
  });
}

/**
 * The vector scaled to length 1, as float32, or `undefined` when it cannot be: a value is not a finite
 * number, or every value is 0 (a zero vector has no direction). Sums in float64 so long vectors of small
 * values do not underflow.
 */
export function l2Normalize(values: ArrayLike<number>): Float32Array | undefined {
  let sum = 0;
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
    sum += value * value;
  }
  const norm = Math.sqrt(sum);
  if (norm === 0 || !Number.isFinite(norm)) return undefined;
  const result = new Float32Array(values.length);
  for (let index = 0; index < values.length; index += 1) result[index] = (values[index] as number) / norm;
  return result;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? JSON.stringify(value.slice(0, 40)) : typeof value;
}
