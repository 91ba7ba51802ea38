import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { dirname } from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { MemoryError } from "../../domain/memory-error.js";
import { rejectsWith } from "../../testing/store-contract-fixtures.js";
import type { Embedder } from "../embedder.js";
import { createTransformersEmbedder, type TransformersEmbedderOptions } from "./create-transformers-embedder.js";
import { loadTransformers, type TransformersModule } from "./load-transformers.js";

// A 16-dimension, 53-word model made by scripts/build-tiny-embedding-model.mjs: an ONNX Gather of word
// vectors (topic direction + noise) behind a BERT-style WordPiece tokenizer. [CLS], [SEP] and [PAD] embed
// to zero. It runs through the real transformers.js pipeline and onnxruntime-node, with no network.
const TINY_MODEL = fileURLToPath(new URL("./__fixtures__/tiny-model", import.meta.url));
const FIXTURES = dirname(TINY_MODEL);

function dot(a: Float32Array | undefined, b: Float32Array | undefined): number {
  assert.ok(a && b, "two vectors");
  return a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);
}

async function failsToCreate(options: TransformersEmbedderOptions, code: "invalid_input" | "provider"): Promise<MemoryError> {
  return rejectsWith(createTransformersEmbedder(options), code);
}

describe("createTransformersEmbedder with a tiny local model", () => {
  let embedder: Embedder;
  before(async () => {
    embedder = await createTransformersEmbedder({ model: TINY_MODEL });
  });

  it("learns its dimensions from the model and names itself after it", () => {
    assert.equal(embedder.dimensions, 16);
    assert.equal(embedder.name, `transformers/${TINY_MODEL}@16`);
    assert.equal(embedder.maxBatchSize, 32);
  });

  it("returns one finite, unit-length Float32Array per text, in order", async () => {
    const texts = ["my cat likes the dog", "pizza and pasta for dinner", "deploy the server"];
    const vectors = await embedder.embed(texts);
    assert.equal(vectors.length, 3);
    for (const vector of vectors) {
      assert.ok(vector instanceof Float32Array);
      assert.equal(vector.length, 16);
      assert.ok(vector.every(Number.isFinite));
      assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-5, `norm ${Math.hypot(...vector)}`);
    }
    const [alone] = await embedder.embed([texts[1]!]);
    assert.deepEqual(alone, vectors[1], "a text's vector does not depend on its neighbours in the batch");
  });

  it("is deterministic, ignores padding, and lower-cases like BERT", async () => {
    const [short, long, same, upper] = await embedder.embed(["cat", "the cat sat on the mat with the dog and the vet", "cat", "CAT"]);
    const [again] = await embedder.embed(["cat"]);
    assert.deepEqual(same, short);
    assert.deepEqual(again, short);
    assert.deepEqual(upper, short);
    assert.notDeepEqual(long, short);
  });

  it("puts texts that share words closer than texts that share none", async () => {
    const [catDog, dogCat, myCat, food] = await embedder.embed(["the cat and the dog", "the dog and the cat", "my cat likes the dog", "pizza and pasta for dinner"]);
    assert.ok(Math.abs(dot(catDog, dogCat) - 1) < 1e-5, `this model has no word order: ${dot(catDog, dogCat)}`);
    assert.ok(dot(catDog, myCat) > dot(catDog, food) + 0.3, `${dot(catDog, myCat)} vs ${dot(catDog, food)}`);
  });

  it("puts words of one topic closer than words of another, as a real model would", async () => {
    const [kitten, puppy, database] = await embedder.embed(["kitten", "puppy", "database"]);
    assert.ok(dot(kitten, puppy) > dot(kitten, database) + 0.3, `${dot(kitten, puppy)} vs ${dot(kitten, database)}`);
  });

  it("splits work into batches of maxBatchSize with the same results", async () => {
    const small = await createTransformersEmbedder({ model: TINY_MODEL, maxBatchSize: 2 });
    const texts = ["cat", "dog", "pizza", "train to paris", "typescript bug", "soup"];
    assert.deepEqual(await small.embed(texts), await embedder.embed(texts));
    assert.deepEqual(await embedder.embed([]), []);
  });

  it("loads a model by name from localModelPath", async () => {
    const named = await createTransformersEmbedder({ model: "tiny-model", localModelPath: FIXTURES, dimensions: 16 });
    assert.equal(named.name, "transformers/tiny-model@16");
    assert.deepEqual(await named.embed(["train ticket"]), await embedder.embed(["train ticket"]));
  });

  it("refuses empty texts before running the model", async () => {
    const error = await rejectsWith(embedder.embed(["cat", " "]), "invalid_input");
    assert.equal(error.details.field, "texts[1]");
  });

  it("fails with a provider error, naming the text, when the model gives a zero vector", async () => {
    // The tokenizer reads "[SEP]" as the special token, which this model embeds to zero.
    const error = await rejectsWith(embedder.embed(["cat", "[SEP]"]), "provider");
    assert.match(error.message, /all-zero or non-finite vector for texts\[1\] \("\[SEP\]"\)/);
    assert.equal(error.details.index, 1);
  });

  it("rejects with the signal's reason when aborted", async () => {
    const reason = new Error("stop");
    await assert.rejects(embedder.embed(["cat"], { signal: AbortSignal.abort(reason) }), (error) => error === reason);
  });

  it("checks dimensions against the model", async () => {
    const error = await failsToCreate({ model: TINY_MODEL, dimensions: 384 }, "invalid_input");
    assert.equal(error.details.field, "dimensions");
    assert.match(error.message, /is 384, but the model .* gives vectors of 16\. Set dimensions to 16/);
  });

  it("finds a pooling the model was not built for when it loads, not at the first embed", async () => {
    // [CLS] embeds to zero here, so CLS pooling gives zero vectors.
    const error = await failsToCreate({ model: TINY_MODEL, pooling: "cls" }, "provider");
    assert.match(error.message, /all-zero/);
  });

  it("explains a missing model directory", async () => {
    const missing = `${FIXTURES}/no-such-model`;
    const error = await failsToCreate({ model: missing }, "provider");
    assert.match(error.message, /cannot load the model .*no-such-model.*Check that the directory holds config\.json, tokenizer\.json, tokenizer_config\.json and onnx\/model\.onnx/);
    assert.ok(error.cause instanceof Error);
    assert.equal(error.details.provider, "transformers");
  });

  it("explains missing weights for another dtype", async () => {
    const error = await failsToCreate({ model: TINY_MODEL, dtype: "q8" }, "provider");
    assert.match(error.message, /the onnx\/ weights for dtype "q8"/);
  });

  const invalid: [string, Partial<Record<keyof TransformersEmbedderOptions, unknown>>][] = [
    ["model", { model: "" }],
    ["model", { model: 42 }],
    ["dtype", { dtype: "q9" }],
    ["pooling", { pooling: "max" }],
    ["maxBatchSize", { maxBatchSize: 0 }],
    ["dimensions", { dimensions: 2.5 }],
    ["localFilesOnly", { localFilesOnly: "yes" }],
    ["cacheDir", { cacheDir: "" }],
  ];
  for (const [field, change] of invalid) {
    it(`rejects ${field} = ${JSON.stringify(Object.values(change)[0])}`, async () => {
      const error = await failsToCreate({ model: TINY_MODEL, ...change } as TransformersEmbedderOptions, "invalid_input");
      assert.equal(error.details.field, field);
    });
  }
});

describe("loadTransformers", () => {
  it("tells how to install the package when it is missing", async () => {
    const missing = Object.assign(new Error("Cannot find package '@huggingface/transformers' imported from /app/x.js"), { code: "ERR_MODULE_NOT_FOUND" });
    const error = await rejectsWith(loadTransformers(() => Promise.reject(missing)), "provider");
    assert.match(error.message, /cannot find the package @huggingface\/transformers.*npm install @huggingface\/transformers/);
    assert.equal(error.cause, missing);
  });

  it("reports any other load failure with its cause", async () => {
    const broken = new Error("libonnxruntime.so.1: cannot open shared object file");
    const error = await rejectsWith(loadTransformers(() => Promise.reject(broken)), "provider");
    assert.match(error.message, /installed but failed to load: libonnxruntime\.so\.1: cannot open shared object file/);
    assert.equal(error.cause, broken);
  });

  it("loads the real package", async () => {
    const module: TransformersModule = await loadTransformers();
    assert.equal(typeof module.pipeline, "function");
  });
});

describe("the root entry", () => {
  it("does not load transformers.js or its ONNX runtime until a transformers embedder is created", () => {
    const probe = `
      import { createRequire } from "node:module";
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((path) => /onnxruntime|@huggingface/.test(path));
      const mnemo = await import("./src/index.ts");
      const before = loaded();
      const embedder = await mnemo.createTransformersEmbedder({ model: ${JSON.stringify(TINY_MODEL)} });
      console.log(JSON.stringify({ before, after: loaded(), dimensions: embedder.dimensions }));
    `;
    const root = fileURLToPath(new URL("../../..", import.meta.url));
    const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], { encoding: "utf8", cwd: root });
    const result = JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as { before: string[]; after: string[]; dimensions: number };
    assert.deepEqual(result.before, []);
    assert.ok(result.after.some((path) => path.includes("onnxruntime-node")), "creating the embedder loads onnxruntime-node, which shows the probe can see it");
    assert.equal(result.dimensions, 16);
  });
});
