import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryError } from "../domain/memory-error.js";
import type { VectorHit, VectorIndex } from "../store/vector/vector-index.js";
import { mulberry32 } from "./mulberry32.js";

export interface VectorIndexContractOptions {
  /** Names the suite, e.g. "exact-f32". */
  name: string;
  /** Makes a new, empty index. Each test makes its own. */
  create: (options: { dimensions: number }) => VectorIndex;
  /**
   * The index may miss true neighbours (HNSW): the suite then asks for recall@10 ≥ 0.9 against exact
   * search instead of the exact top k.
   * @default false
   */
  approximate?: boolean;
  /** How far a reported similarity may be from the true cosine: about 0.02 for quantised indexes. @default 1e-4 */
  tolerance?: number;
  /** Tests this adapter cannot pass yet: test name → the reason, shown in the test report. */
  skip?: Record<string, string>;
}

/**
 * The `VectorIndex` conformance suite, under `node:test`: ordering and similarities, replacing, removing,
 * `accept`, `k` edge cases, rejected input that changes nothing, and agreement with a brute-force
 * reference on clustered data (exact, or recall@10 ≥ 0.9 for approximate indexes).
 *
 * @example
 * testVectorIndex({ name: "exact-f32", create: ({ dimensions }) => createExactVectorIndex({ dimensions }) });
 */
export function testVectorIndex(options: VectorIndexContractOptions): void {
  const { create, approximate = false, tolerance = 1e-4 } = options;
  const skip = options.skip ?? {};
  const registered = new Set<string>();
  const test = (name: string, run: () => void): void => {
    if (registered.has(name)) throw new Error(`The vector index contract has two tests named "${name}"; skip lists need unique names.`);
    registered.add(name);
    const reason = skip[name];
    it(name, reason === undefined ? {} : { skip: reason }, run);
  };
  const near = (actual: number, expected: number, what: string): void => {
    assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: similarity ${actual}, expected ${expected} ± ${tolerance}`);
  };

  describe(`VectorIndex contract: ${options.name}`, () => {
    test("an empty index has size 0 and finds nothing", () => {
      const index = create({ dimensions: 4 });
      assert.equal(index.size, 0);
      assert.equal(index.dimensions, 4);
      assert.equal(typeof index.name, "string");
      assert.deepEqual(index.search(vector(1, 0, 0, 0), 10), []);
    });

    test("finds the nearest vectors best first, with their cosine similarity", () => {
      const index = create({ dimensions: 4 });
      const stored = AXES.map((_, position) => unit(...AXES.map((__, axis) => (axis === position ? 1 : 0.1 * axis))));
      index.add(KEYS, stored);
      const query = unit(0.9, 0.5, 0.1, 0);
      const hits = index.search(query, 4);
      assert.deepEqual(keysOf(hits), reference(KEYS, stored, query).map((hit) => hit.key));
      for (const hit of hits) near(hit.similarity, cosine(query, stored[KEYS.indexOf(hit.key)]!), `key ${hit.key}`);
    });

    test("a stored vector is its own best hit, with similarity 1", () => {
      const index = create({ dimensions: 8 });
      const { vectors } = clustered(200, 8, 7);
      index.add(range(200), vectors);
      for (const key of [0, 57, 199]) {
        const [best] = index.search(vectors[key]!, 1);
        assert.equal(best?.key, key);
        near(best.similarity, 1, `key ${key}`);
      }
    });

    test("normalises vectors that are not unit length", () => {
      const index = create({ dimensions: 4 });
      index.add([1, 2], [vector(3, 4, 0, 0), vector(0, 0, 0.001, 0)]);
      const [best] = index.search(vector(0.6, 0.8, 0, 0), 1);
      assert.equal(best?.key, 1);
      near(best.similarity, 1, "a vector of length 5");
      near(index.search(vector(0, 0, 7, 0), 1)[0]!.similarity, 1, "a vector of length 0.001");
    });

    test("returns every vector when k exceeds the size, and nothing for k = 0", () => {
      const index = create({ dimensions: 4 });
      index.add([10, 20, 30], [vector(1, 0, 0, 0), vector(0, 1, 0, 0), vector(1, 1, 0, 0)]);
      assert.deepEqual(keysOf(index.search(vector(1, 0.2, 0, 0), 50)), [10, 30, 20]);
      assert.deepEqual(index.search(vector(1, 0, 0, 0), 0), []);
    });

    test("re-adding a key replaces its vector", () => {
      const index = create({ dimensions: 4 });
      index.add([1, 2], [vector(1, 0, 0, 0), vector(0, 1, 0, 0)]);
      index.add([1], [vector(0, 0, 1, 0)]);
      assert.equal(index.size, 2);
      assert.deepEqual(keysOf(index.search(vector(0, 0, 1, 0), 1)), [1]);
      const hits = index.search(vector(1, 0, 0, 0), 2);
      assert.deepEqual(keysOf(hits).sort(), [1, 2]);
      for (const hit of hits) near(hit.similarity, 0, `key ${hit.key} against the replaced vector`);
    });

    test("the last vector wins when one call repeats a key", () => {
      const index = create({ dimensions: 4 });
      index.add([5, 5, 6], [vector(1, 0, 0, 0), vector(0, 1, 0, 0), vector(0, 0, 1, 0)]);
      assert.equal(index.size, 2);
      const [best] = index.search(vector(0, 1, 0, 0), 1);
      assert.equal(best?.key, 5);
      near(best.similarity, 1, "key 5");
    });

    test("remove drops keys and ignores keys it does not hold", () => {
      const index = create({ dimensions: 4 });
      index.add([1, 2, 3], [vector(1, 0, 0, 0), vector(0.9, 0.1, 0, 0), vector(0, 1, 0, 0)]);
      index.remove([1, 99]);
      index.remove([1]);
      index.remove([]);
      assert.equal(index.size, 2);
      assert.deepEqual(keysOf(index.search(vector(1, 0, 0, 0), 10)), [2, 3]);
      index.remove([2, 3]);
      assert.equal(index.size, 0);
      assert.deepEqual(index.search(vector(1, 0, 0, 0), 10), []);
      index.add([1], [vector(0, 0, 0, 1)]);
      assert.deepEqual(keysOf(index.search(vector(0, 0, 0, 1), 10)), [1]);
    });

    test("accept limits hits to the keys it allows, still k of them when enough pass", () => {
      const index = create({ dimensions: 16 });
      const { vectors, queries } = clustered(600, 16, 11);
      index.add(range(600), vectors);
      const accept = (key: number): boolean => key % 3 === 0;
      for (const query of queries.slice(0, 10)) {
        const hits = index.search(query, 10, accept);
        assert.equal(hits.length, 10);
        assert.ok(hits.every((hit) => accept(hit.key)), `only accepted keys, got ${keysOf(hits).join(", ")}`);
        assertBestFirst(hits);
      }
    });

    test("a selective accept filter still finds the keys it allows", () => {
      const index = create({ dimensions: 16 });
      const { vectors, queries } = clustered(3_000, 16, 13);
      const keys = range(3_000);
      index.add(keys, vectors);
      const allowed = new Set([7, 500, 1_234, 2_999]);
      const hits = index.search(queries[0]!, 10, (key) => allowed.has(key));
      assert.deepEqual(keysOf(hits).sort((a, b) => a - b), [...allowed]);
      assertBestFirst(hits);
    });

    test("a vector of the wrong length is invalid_input and adds nothing from its call", () => {
      const index = create({ dimensions: 4 });
      index.add([1], [vector(1, 0, 0, 0)]);
      const before = observe(index);
      const error = throwsInvalid(() => index.add([2, 3], [vector(0, 1, 0, 0), new Float32Array(5)]));
      assert.equal(error.details.field, "vectors[1]");
      throwsInvalid(() => index.search(new Float32Array(3), 1));
      assert.deepEqual(observe(index), before);
    });

    test("NaN, Infinity and all-zero vectors are invalid_input and change nothing", () => {
      const index = create({ dimensions: 4 });
      index.add([1], [vector(1, 0, 0, 0)]);
      const before = observe(index);
      for (const bad of [vector(1, Number.NaN, 0, 0), vector(Infinity, 0, 0, 0), vector(0, 0, 0, 0)]) {
        throwsInvalid(() => index.add([2, 1], [vector(0, 1, 0, 0), bad]));
        throwsInvalid(() => index.search(bad, 1));
      }
      assert.deepEqual(observe(index), before);
    });

    test("malformed calls are invalid_input: key count, keys, k", () => {
      const index = create({ dimensions: 4 });
      throwsInvalid(() => index.add([1, 2], [vector(1, 0, 0, 0)]));
      for (const key of [-1, 1.5, Number.NaN, 2 ** 53]) throwsInvalid(() => index.add([key], [vector(1, 0, 0, 0)]));
      for (const k of [-1, 2.5, Number.NaN]) throwsInvalid(() => index.search(vector(1, 0, 0, 0), k));
      assert.equal(index.size, 0);
    });

    test(approximate ? "finds 90% of the true top 10 among 4,000 clustered vectors" : "finds the true top 10 among 4,000 clustered vectors", () => {
      const dimensions = 48;
      const { vectors, queries } = clustered(4_000, dimensions, 17);
      const keys = range(4_000).map((key) => key * 3 + 1);
      const index = create({ dimensions });
      for (let start = 0; start < keys.length; start += 500) index.add(keys.slice(start, start + 500), vectors.slice(start, start + 500));
      assert.equal(index.size, 4_000);
      let found = 0;
      for (const query of queries) {
        const hits = index.search(query, 10);
        const truth = reference(keys, vectors, query).slice(0, 10);
        assert.equal(hits.length, 10);
        assertBestFirst(hits);
        const truthKeys = new Set(keysOf(truth));
        for (const hit of hits) {
          const actual = cosine(query, vectors[keys.indexOf(hit.key)]!);
          near(hit.similarity, actual, `key ${hit.key}`);
          // An exact index may only swap neighbours whose true similarities are within its tolerance.
          if (!approximate) assert.ok(actual >= truth[9]!.similarity - 2 * tolerance, `key ${hit.key} (${actual}) is not among the true top 10`);
        }
        found += hits.filter((hit) => truthKeys.has(hit.key)).length;
      }
      const recall = found / (10 * queries.length);
      assert.ok(recall >= (approximate ? 0.9 : 0.95), `recall@10 ${recall.toFixed(3)}`);
    });

    test("stays consistent through interleaved adds, replaces and removes", () => {
      const dimensions = 16;
      const { vectors, queries } = clustered(1_500, dimensions, 19);
      const index = create({ dimensions });
      const held = new Map<number, Float32Array>();
      const random = mulberry32(23);
      for (let step = 0; step < 60; step += 1) {
        const keys = range(20).map(() => Math.floor(random() * 400));
        if (random() < 0.35) {
          index.remove(keys);
          for (const key of keys) held.delete(key);
        } else {
          const batch = keys.map(() => vectors[Math.floor(random() * vectors.length)]!);
          index.add(keys, batch);
          keys.forEach((key, position) => held.set(key, batch[position]!));
        }
        assert.equal(index.size, held.size, `size after step ${step}`);
      }
      let found = 0;
      let wanted = 0;
      for (const query of queries.slice(0, 20)) {
        const hits = index.search(query, 10);
        const truth = new Set(keysOf(reference([...held.keys()], [...held.values()], query).slice(0, 10)));
        assert.equal(hits.length, Math.min(10, held.size));
        assert.ok(hits.every((hit) => held.has(hit.key)), "never a removed key");
        for (const hit of hits) near(hit.similarity, cosine(query, held.get(hit.key)!), `key ${hit.key}`);
        found += hits.filter((hit) => truth.has(hit.key)).length;
        wanted += truth.size;
      }
      assert.ok(found / wanted >= (approximate ? 0.9 : 0.95), `recall@10 ${(found / wanted).toFixed(3)}`);
    });

    test("survives rounds of adding many keys and removing most of them", () => {
      // usearch 2.25.3's own remove hangs on the third round of this (unum-cloud/USearch#753, #769).
      const dimensions = 8;
      const index = create({ dimensions });
      const random = mulberry32(29);
      const held = new Map<number, Float32Array>();
      for (let round = 0; round < 5; round += 1) {
        const keys = range(1_000).map((offset) => round * 1_000 + offset);
        const vectors = keys.map(() => unit(...range(dimensions).map(() => random() - 0.5)));
        index.add(keys, vectors);
        keys.forEach((key, position) => held.set(key, vectors[position]!));
        const removed = [...held.keys()].filter((key) => key % 10 !== 0);
        index.remove(removed);
        for (const key of removed) held.delete(key);
        assert.equal(index.size, held.size);
      }
      for (const [key, stored] of [...held].slice(0, 50)) assert.equal(index.search(stored, 1)[0]?.key, key);
    });

    const unknown = Object.keys(skip).filter((name) => !registered.has(name));
    if (unknown.length > 0) throw new Error(`testVectorIndex(${options.name}): the skip list names tests that do not exist: ${unknown.join("; ")}.`);
  });
}

const AXES = [0, 1, 2, 3];
const KEYS = [40, 41, 42, 43];

function vector(...values: number[]): Float32Array {
  return Float32Array.from(values);
}

function unit(...values: number[]): Float32Array {
  const length = Math.hypot(...values);
  return Float32Array.from(values, (value) => value / length);
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

function keysOf(hits: readonly VectorHit[]): number[] {
  return hits.map((hit) => hit.key);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let index = 0; index < a.length; index += 1) {
    dot += a[index]! * b[index]!;
    aa += a[index]! * a[index]!;
    bb += b[index]! * b[index]!;
  }
  return dot / Math.sqrt(aa * bb);
}

/** Every (key, vector) ranked by true cosine with `query`, best first. */
function reference(keys: readonly number[], vectors: readonly Float32Array[], query: Float32Array): VectorHit[] {
  return keys.map((key, index) => ({ key, similarity: cosine(query, vectors[index]!) })).sort((a, b) => b.similarity - a.similarity || a.key - b.key);
}

function assertBestFirst(hits: readonly VectorHit[]): void {
  for (let index = 1; index < hits.length; index += 1) assert.ok(hits[index - 1]!.similarity >= hits[index]!.similarity, `hits out of order at ${index}`);
  assert.equal(new Set(keysOf(hits)).size, hits.length, "no key twice");
}

/** What a caller can see of an index, to show that a rejected call changed nothing. */
function observe(index: VectorIndex): { size: number; hits: VectorHit[][] } {
  const probes = [vector(1, 0, 0, 0), vector(0, 1, 0, 0), vector(0, 0, 1, 1)];
  return { size: index.size, hits: probes.map((probe) => index.search(probe, 10)) };
}

function throwsInvalid(run: () => unknown): MemoryError {
  let caught: unknown;
  assert.throws(run, (error: unknown) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof MemoryError, `expected a MemoryError, got ${String(caught)}`);
  assert.equal(caught.code, "invalid_input", caught.message);
  return caught;
}

/** `count` vectors in about count / 50 clusters, and 40 fresh queries drawn the same way. */
function clustered(count: number, dimensions: number, seed: number): { vectors: Float32Array[]; queries: Float32Array[] } {
  const random = mulberry32(seed);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centroids = range(Math.max(2, Math.round(count / 50))).map(() => Float32Array.from({ length: dimensions }, gaussian));
  const draw = (): Float32Array => {
    const centroid = centroids[Math.floor(random() * centroids.length)]!;
    return unit(...Array.from(centroid, (value) => value + 0.6 * gaussian()));
  };
  return { vectors: range(count).map(draw), queries: range(40).map(draw) };
}
