/**
 * Counts tokens the way the model that reads the context will. Budgets are enforced with it, so it must
 * be exact for its encoding: `count(a + b)` is what the model sees, not `count(a) + count(b)`.
 */
export interface Tokenizer {
  /** Reported in recall results and bench output, e.g. "gpt-tokenizer/o200k_base". */
  readonly name: string;
  /** Synchronous and pure: the same text always gives the same count. */
  count(text: string): number;
}
