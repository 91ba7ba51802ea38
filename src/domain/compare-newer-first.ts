/** Orders world times newest first, timeless (null) last: the tie-break of every ranking. */
export function compareNewerFirst(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}
