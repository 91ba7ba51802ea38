/**
 * Splits texts, in order, into consecutive batches of at most `maxSize` texts and `maxChars` characters
 * (UTF-16 code units, a cheap stand-in for the provider's token limit). A text longer than `maxChars` on
 * its own gets a batch of its own: it cannot be split, and the provider decides whether it fits.
 */
export function splitIntoBatches(texts: readonly string[], maxSize: number, maxChars: number): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const text of texts) {
    if (current.length > 0 && (current.length >= maxSize || chars + text.length > maxChars)) {
      batches.push(current);
      current = [];
      chars = 0;
    }
    current.push(text);
    chars += text.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
