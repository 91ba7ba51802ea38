/**
 * Scalar-quantises `count` rows of `source` (from row `from`) into `target` (from row `to`), one signed
 * byte per value; `inverseNorms[to + row]` receives 1 / |quantised row| when given.
 *
 * Each row is scaled so its largest magnitude becomes 127, then rounded. Scaling a unit vector by a
 * fixed 127 instead would leave a 384-dimensional embedding (typical values ≈ ±0.05) only a handful of
 * levels per standard deviation; per-row scaling gives it about six times as many (fewer when a model has
 * a few outsized dimensions). The scale need not be stored:
 * cosine similarity divides it out, which is why callers keep the quantised norm instead.
 */
export function quantizeRows(
  dimensions: number,
  source: Float32Array,
  from: number,
  count: number,
  target: Int8Array,
  to: number,
  inverseNorms?: Float32Array,
): void {
  for (let row = 0; row < count; row += 1) {
    const input = (from + row) * dimensions;
    const output = (to + row) * dimensions;
    let largest = 0;
    for (let index = 0; index < dimensions; index += 1) largest = Math.max(largest, Math.abs(source[input + index]!));
    const scale = largest === 0 ? 0 : 127 / largest;
    let squares = 0;
    for (let index = 0; index < dimensions; index += 1) {
      const value = Math.max(-127, Math.min(127, Math.round(source[input + index]! * scale)));
      target[output + index] = value;
      squares += value * value;
    }
    if (inverseNorms) inverseNorms[to + row] = squares === 0 ? 0 : 1 / Math.sqrt(squares);
  }
}
