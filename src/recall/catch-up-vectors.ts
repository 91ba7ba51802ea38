import type { Engine, EngineVectors } from "../engine.js";

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
      if (page.vectors.length > 0) {
        vectors.index.add(
          page.vectors.map((stored) => stored.key),
          page.vectors.map((stored) => stored.vector),
        );
      }
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
