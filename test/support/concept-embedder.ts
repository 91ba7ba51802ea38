import { MemoryError } from "../../src/index.js";
import type { Embedder } from "../../src/providers/embedder.js";

/** Words that mean the same thing to the test embedder, though they share no letters. */
const CONCEPTS: Record<string, string> = {
  car: "vehicle",
  automobile: "vehicle",
  sedan: "vehicle",
  dog: "pet",
  puppy: "pet",
  canine: "pet",
  physician: "doctor",
  doctor: "doctor",
  medic: "doctor",
};

export interface ConceptEmbedder extends Embedder {
  /** Every text embedded so far, in order. */
  readonly calls: string[][];
  /** While set, embed() fails with a `provider` error carrying this message. */
  failWith: string | null;
}

/**
 * A deterministic in-process embedder: each word, mapped to its concept, is hashed into one of
 * `dimensions` buckets, so texts that share a concept are close even when they share no word.
 */
export function conceptEmbedder(dimensions = 64): ConceptEmbedder {
  const embedder: ConceptEmbedder = {
    name: `test/concepts@${dimensions}`,
    dimensions,
    maxBatchSize: 8,
    calls: [],
    failWith: null,
    async embed(texts) {
      if (embedder.failWith !== null) throw new MemoryError("provider", embedder.failWith, { details: { provider: embedder.name } });
      embedder.calls.push([...texts]);
      return texts.map((text) => embedText(text, dimensions));
    },
  };
  return embedder;
}

function embedText(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    const concept = CONCEPTS[word] ?? word;
    let hash = 2166136261;
    for (const char of concept) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
    vector[(hash >>> 0) % dimensions]! += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}
