import { invalidInput } from "../../domain/memory-error.js";
import { openExactVectorIndex } from "./exact-vector-index.js";
import { loadUsearch } from "./load-usearch.js";
import { prepareBatch, prepareQuery } from "./prepare-vectors.js";
import { openUsearchVectorIndex, type UsearchVectorIndexOptions, type UsearchVectorIndex } from "./usearch-vector-index.js";
import type { VectorIndex } from "./vector-index.js";

export interface VectorIndexOptions extends UsearchVectorIndexOptions {
  /**
   * At this many vectors an HNSW index is built and answers searches; it is dropped again when removals
   * bring the count under half of this. `Infinity` keeps search exact (and never loads usearch).
   * @default 20_000
   */
  annThreshold?: number;
  /** How the exact copy holds vectors; see `ExactVectorIndexOptions.precision`. @default "f32" */
  precision?: "f32" | "i8";
}

/**
 * The filtered HNSW search gives up after this many candidates per wanted hit and scans exactly instead:
 * a filter that passes fewer than 1 key in 64 is answered faster, and completely, by the scan.
 */
const FILTERED_CANDIDATES_PER_HIT = 64;

/**
 * HNSW returns this many candidates per wanted hit, which the exact copy re-ranks. HNSW over i8 codes
 * misorders near-ties (the query is quantised too); re-ranking 3k candidates raised recall@10 from 0.967
 * to 0.995 on 100k synthetic 384-dimensional embeddings (bench/scale), for about 35 µs a search.
 */
const RERANK_CANDIDATES_PER_HIT = 3;

/**
 * The vector index mnemo uses: exact search while the index is small (faster there, and exact), HNSW
 * (usearch) from `annThreshold` vectors on. `name` says which answers now: "exact-f32", or
 * "usearch-hnsw-i8+rerank-f32" once HNSW finds the candidates and the exact copy re-ranks them.
 *
 * The exact copy is kept after the switch: it re-ranks HNSW's candidates (so similarities stay exact
 * cosines, and near-ties come out in the right order), lets the HNSW index be dropped and rebuilt without
 * the store, and answers a search whose `accept` filter passes few keys with a complete scan.
 * That costs 4 bytes a value ("f32"; 1 byte with `precision: "i8"`) on top of the HNSW index's ≈ 1 byte
 * a value plus its links: at 100k 384-dimensional vectors, about 160 MB (45 MB) next to 60 to 95 MB.
 *
 * The `add` that reaches the threshold builds the HNSW index from every stored vector before it returns:
 * a one-off pause of roughly 0.1 to 0.2 ms a vector on two cores (1.6 s at 20k × 384, 20 s at 100k);
 * later adds pay their share of HNSW insertion as they come. Opening a memory rebuilds it the same way.
 *
 * @example
 * const index = createVectorIndex({ dimensions: 384 });
 * index.add(keys, vectors);
 * index.search(query, 10, (key) => allowed.has(key));
 */
export function createVectorIndex(options: VectorIndexOptions): VectorIndex {
  const { dimensions, annThreshold = 20_000 } = options;
  if (!(annThreshold === Infinity || (Number.isSafeInteger(annThreshold) && annThreshold >= 1))) {
    throw invalidInput("annThreshold", `must be a whole number of at least 1, or Infinity, got ${String(annThreshold)}.`, { annThreshold });
  }
  const exact = openExactVectorIndex({ dimensions, precision: options.precision ?? "f32" });
  const annOptions: UsearchVectorIndexOptions = {
    dimensions,
    quantization: options.quantization,
    connectivity: options.connectivity,
    expansionAdd: options.expansionAdd,
    expansionSearch: options.expansionSearch,
  };
  // Fail now, not on the add that crosses the threshold: load usearch and check its options up front.
  if (annThreshold !== Infinity) {
    loadUsearch();
    openUsearchVectorIndex(annOptions);
  }
  let ann: UsearchVectorIndex | undefined;

  const build = (): void => {
    const built = openUsearchVectorIndex(annOptions);
    const rows = exact.rows();
    built.addRows(rows.keys, rows.vectors);
    ann = built;
  };
  // Removed and replaced vectors stay in the graph as dead nodes; once they outnumber the live ones, a
  // rebuild (one build's work for at least as many changes) is cheaper than searching around them.
  const compact = (): void => {
    if (ann !== undefined && ann.dead > ann.size) build();
  };

  return {
    get name() {
      return ann === undefined ? exact.name : `${ann.name}+rerank-${exact.precision}`;
    },
    dimensions,
    get size() {
      return exact.size;
    },
    add(keys, vectors) {
      const batch = prepareBatch(dimensions, keys, vectors);
      exact.addPrepared(batch);
      if (ann === undefined) {
        if (exact.size >= annThreshold) build();
        return;
      }
      try {
        ann.addRows(batch.keys, batch.vectors);
      } catch (error) {
        // The exact copy has the batch; searching it stays correct, and the next add rebuilds.
        ann = undefined;
        throw error;
      }
      compact();
    },
    remove(keys) {
      exact.remove(keys);
      ann?.remove(keys);
      if (ann !== undefined && exact.size < annThreshold / 2) ann = undefined;
      else compact();
    },
    search(query, k, accept) {
      const prepared = prepareQuery(dimensions, query, k);
      if (ann === undefined || k === 0) return exact.searchPrepared(prepared, k, accept);
      const limit = accept === undefined ? undefined : Math.max(k * FILTERED_CANDIDATES_PER_HIT, 1_024);
      const candidates = ann.searchPrepared(prepared, k * RERANK_CANDIDATES_PER_HIT, accept, limit);
      // Too few candidates passed the filter: only a full scan can tell whether more keys would.
      if (candidates.length < Math.min(k, exact.size)) return exact.searchPrepared(prepared, k, accept);
      return exact.rescore(prepared, candidates).slice(0, k);
    },
  };
}
