import { createRequire } from "node:module";
import { MemoryError } from "../../domain/memory-error.js";

export type UsearchModule = typeof import("usearch");

let loaded: UsearchModule | undefined;

/**
 * Loads usearch's native binding on first use, synchronously (through `require`), so importing mnemo costs
 * nothing and an index can switch to HNSW in the middle of an `add`.
 */
export function loadUsearch(): UsearchModule {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)("usearch") as UsearchModule;
    } catch (error) {
      throw new MemoryError("storage", "Cannot load `usearch`. Install it (npm install usearch) to use the HNSW vector index, or use the exact one (createExactVectorIndex).", {
        cause: error,
      });
    }
  }
  return loaded;
}
