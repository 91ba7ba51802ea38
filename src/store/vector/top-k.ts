import type { VectorHit } from "./vector-index.js";

/**
 * The best `capacity` (score, key) pairs seen so far: a binary min-heap on typed arrays, so a scan over
 * n vectors costs O(n log k) and allocates nothing per vector. Equal scores rank the smaller key first,
 * which keeps results independent of the order vectors were stored in.
 */
export class TopK {
  readonly capacity: number;
  private readonly scores: Float64Array;
  private readonly keys: Float64Array;
  private count = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.scores = new Float64Array(capacity);
    this.keys = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** The lowest score that can still enter: -Infinity until full; an equal score enters only with a smaller key. */
  get threshold(): number {
    return this.count < this.capacity ? -Infinity : this.scores[0]!;
  }

  /** Offers a candidate; it replaces the worst kept one when better. */
  offer(score: number, key: number): void {
    if (this.count < this.capacity) {
      this.scores[this.count] = score;
      this.keys[this.count] = key;
      this.count += 1;
      this.siftUp(this.count - 1);
    } else if (this.capacity > 0 && this.worse(0, score, key)) {
      this.scores[0] = score;
      this.keys[0] = key;
      this.siftDown(0);
    }
  }

  /** The kept pairs, best first. */
  sorted(): VectorHit[] {
    const hits: VectorHit[] = [];
    for (let index = 0; index < this.count; index += 1) hits.push({ key: this.keys[index]!, similarity: this.scores[index]! });
    return hits.sort((a, b) => b.similarity - a.similarity || a.key - b.key);
  }

  /** Whether the pair at `index` ranks below (score, key). */
  private worse(index: number, score: number, key: number): boolean {
    const kept = this.scores[index]!;
    return kept < score || (kept === score && this.keys[index]! > key);
  }

  private siftUp(start: number): void {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.worse(index, this.scores[parent]!, this.keys[parent]!)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  private siftDown(start: number): void {
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= this.count) return;
      const right = left + 1;
      const child = right < this.count && this.worse(right, this.scores[left]!, this.keys[left]!) ? right : left;
      if (!this.worse(child, this.scores[index]!, this.keys[index]!)) return;
      this.swap(index, child);
      index = child;
    }
  }

  private swap(a: number, b: number): void {
    const score = this.scores[a]!;
    const key = this.keys[a]!;
    this.scores[a] = this.scores[b]!;
    this.keys[a] = this.keys[b]!;
    this.scores[b] = score;
    this.keys[b] = key;
  }
}
