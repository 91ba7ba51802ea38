import type { Tokenizer } from "../tokenizer.js";

/**
 * The o200k_base BPE encoding (GPT-4o and later) from the `gpt-tokenizer` package, loaded on first use
 * so that importing mnemo costs nothing until a memory is opened.
 */
export async function loadO200kTokenizer(): Promise<Tokenizer> {
  const { countTokens } = await import("gpt-tokenizer/encoding/o200k_base");
  return { name: "gpt-tokenizer/o200k_base", count: (text) => countTokens(text) };
}
