import type { Engine, EngineVectors } from "../engine.js";
import { l2Normalize } from "../providers/embedding-vectors.js";

const PAGE = 2_000;

/**
 * Brings the vector index up to date with the vectors in the store (saved by this process or another),
 * one catch-up at a time. Removed and superseded memories are not removed from the index here: every
 * vector hit goes through the store's filter (`candidatesAt`) before it counts.
 */
export async function catchUpVectors(engine: Engine, vectors: EngineVectors): Promise<void> {
  while (vectors.catchingUp) await vectors.catchingUp;
  const run = (async () => {
    for (;;) {
      const page = await engine.store.vectorsSince(engine.scope, vectors.embedder.name, vectors.cursor, PAGE);
      // A stored vector the index would refuse (written by another program, or a damaged file) is left
      // out rather than blocking every vector saved after it. The check normalises, so its result is used.
      const keys: number[] = [];
      const usable: Float32Array[] = [];
      for (const stored of page.vectors) {
        const unit = stored.vector.length === vectors.index.dimensions ? l2Normalize(stored.vector) : undefined;
        if (!unit) continue;
        keys.push(stored.key);
        usable.push(unit);
      }
      if (keys.length > 0) vectors.index.add(keys, usable);
      const moved = page.cursor !== vectors.cursor;
      vectors.cursor = page.cursor;
      if (!moved) return;
    }
  })();
  vectors.catchingUp = run;
  try {
    await run;
  } finally {
    vectors.catchingUp = null;
  }
}
