import { isAbsolute, resolve } from "node:path";
import { invalidInput, MemoryError } from "../../domain/memory-error.js";
import type { Embedder, EmbedOptions } from "../embedder.js";
import { checkTexts, l2Normalize } from "../embedding-vectors.js";
import { loadTransformers } from "./load-transformers.js";

/** Which weights file is loaded: "fp32" is `onnx/model.onnx`, "q8" `onnx/model_quantized.onnx`, "fp16" `onnx/model_fp16.onnx`, and so on. */
export type TransformersDtype = "auto" | "fp32" | "fp16" | "q8" | "int8" | "uint8" | "q4" | "q4f16" | "bnb4";

export interface TransformersEmbedderOptions {
  /**
   * A Hugging Face model id with ONNX weights, e.g. "Xenova/all-MiniLM-L6-v2", or the path of a local
   * model directory (absolute, or starting with "./" or "../"), which holds config.json, tokenizer.json,
   * tokenizer_config.json and onnx/model.onnx.
   */
  model: string;
  /** A directory of local models: `model` is then loaded from `<localModelPath>/<model>/`, never downloaded. */
  localModelPath?: string;
  /**
   * Never download: load a hub model only from `cacheDir`. Local paths are never downloaded anyway.
   * @default false (a hub model missing from the cache is downloaded once, into `cacheDir`)
   */
  localFilesOnly?: boolean;
  /** Where downloaded models are cached. @default transformers.js's own (`.cache` inside its package folder) */
  cacheDir?: string;
  /** @default "fp32" */
  dtype?: TransformersDtype;
  /**
   * How token vectors become one text vector: their mean (over real tokens, not padding), or the first
   * ([CLS]) token's. Use what the model was trained with. @default "mean"
   */
  pooling?: "mean" | "cls";
  /** The vector length the model must give; checked when the model loads. @default what the model gives */
  dimensions?: number;
  /** Most texts in one forward pass. @default 32 */
  maxBatchSize?: number;
}

/**
 * An `Embedder` that runs a local transformers.js (ONNX) model on the CPU through the optional peer
 * dependency `@huggingface/transformers`, loaded here and not before. Async because it loads the model
 * and runs it once, to learn (or check) `dimensions` and to fail now rather than at the first `embed`.
 * Vectors are pooled as `pooling` says, then L2-normalised. Texts longer than the model's input limit are
 * truncated to it (the tokenizer's `model_max_length`).
 *
 * @example
 * const embedder = await createTransformersEmbedder({ model: "Xenova/all-MiniLM-L6-v2" });
 * const [vector] = await embedder.embed(["The cat sat on the mat."]); // 384 numbers
 */
export async function createTransformersEmbedder(options: TransformersEmbedderOptions): Promise<Embedder> {
  const settings = validate(options);
  const { pipeline } = await loadTransformers();
  let extractor: Awaited<ReturnType<typeof pipeline<"feature-extraction">>>;
  try {
    extractor = await pipeline("feature-extraction", settings.location, {
      local_files_only: settings.localFilesOnly,
      dtype: settings.dtype,
      device: "cpu",
      ...(settings.cacheDir === undefined ? {} : { cache_dir: settings.cacheDir }),
    });
  } catch (error) {
    throw new MemoryError("provider", `transformers: cannot load the model ${describeModel(settings)}: ${messageOf(error)}. ${loadHint(settings)}`, {
      details: { provider: "transformers", model: settings.model },
      cause: error,
    });
  }

  const run = async (texts: string[], offset: number, dimensions: number | undefined): Promise<Float32Array[]> => {
    let output: Awaited<ReturnType<typeof extractor>>;
    try {
      output = await extractor(texts, { pooling: settings.pooling, normalize: false });
    } catch (error) {
      throw new MemoryError("provider", `transformers: the model ${settings.model} failed on texts[${offset}..${offset + texts.length - 1}]: ${messageOf(error)}.`, {
        details: { provider: "transformers", model: settings.model },
        cause: error,
      });
    }
    const [rows, width] = output.dims;
    if (output.dims.length !== 2 || rows !== texts.length || width === undefined || width === 0 || (dimensions !== undefined && width !== dimensions)) {
      throw new MemoryError("provider", `transformers: the model ${settings.model} gave output of shape [${output.dims.join(", ")}] for ${texts.length} texts, expected [${texts.length}, ${dimensions ?? "dimensions"}]. Is it a feature-extraction (embedding) model?`, {
        details: { provider: "transformers", model: settings.model },
      });
    }
    const data = (output.type === "float32" ? output : output.to("float32")).data as Float32Array;
    return texts.map((text, row) => {
      const vector = l2Normalize(data.subarray(row * width, (row + 1) * width));
      if (vector === undefined) {
        throw new MemoryError("provider", `transformers: the model ${settings.model} gave an all-zero or non-finite vector for texts[${offset + row}] (${JSON.stringify(text.slice(0, 60))}), which has no direction. Its tokens may all be unknown to the model.`, {
          details: { provider: "transformers", model: settings.model, index: offset + row },
        });
      }
      return vector;
    });
  };

  const [probe] = await run(["dimension probe"], 0, undefined);
  const dimensions = probe?.length ?? 0;
  if (settings.dimensions !== undefined && settings.dimensions !== dimensions) {
    throw invalidInput("dimensions", `is ${settings.dimensions}, but the model ${settings.model} gives vectors of ${dimensions}. Set dimensions to ${dimensions}, or leave it out.`, { expected: settings.dimensions, actual: dimensions });
  }
  const suffix = settings.pooling === "mean" ? "" : `:${settings.pooling}`;
  return {
    name: `transformers/${settings.model}${suffix}@${dimensions}`,
    dimensions,
    maxBatchSize: settings.maxBatchSize,
    async embed(texts: readonly string[], embedOptions: EmbedOptions = {}): Promise<Float32Array[]> {
      checkTexts(texts);
      const vectors: Float32Array[] = [];
      for (let offset = 0; offset < texts.length; offset += settings.maxBatchSize) {
        // A forward pass cannot be interrupted, so an abort takes effect between batches.
        embedOptions.signal?.throwIfAborted();
        vectors.push(...(await run(texts.slice(offset, offset + settings.maxBatchSize), offset, dimensions)));
      }
      return vectors;
    },
  };
}

interface Settings {
  model: string;
  /** What transformers.js is given: the hub id, or an absolute directory path. */
  location: string;
  isPath: boolean;
  localFilesOnly: boolean;
  cacheDir: string | undefined;
  dtype: TransformersDtype;
  pooling: "mean" | "cls";
  dimensions: number | undefined;
  maxBatchSize: number;
}

const DTYPES: readonly TransformersDtype[] = ["auto", "fp32", "fp16", "q8", "int8", "uint8", "q4", "q4f16", "bnb4"];

function validate(options: TransformersEmbedderOptions): Settings {
  if (typeof options !== "object" || options === null) throw invalidInput("options", 'must be an object, e.g. { model: "Xenova/all-MiniLM-L6-v2" }.');
  const model = text("model", options.model, 'a Hugging Face model id such as "Xenova/all-MiniLM-L6-v2", or a local model directory');
  const localModelPath = options.localModelPath === undefined ? undefined : text("localModelPath", options.localModelPath, "a directory of local models");
  const cacheDir = options.cacheDir === undefined ? undefined : text("cacheDir", options.cacheDir, "a directory");
  const localFilesOnly = options.localFilesOnly ?? false;
  if (typeof localFilesOnly !== "boolean") throw invalidInput("localFilesOnly", `must be true or false, got ${String(localFilesOnly)}.`);
  const dtype = options.dtype ?? "fp32";
  if (!DTYPES.includes(dtype)) throw invalidInput("dtype", `must be one of ${DTYPES.join(", ")}; got ${JSON.stringify(dtype)}.`);
  const pooling = options.pooling ?? "mean";
  if (pooling !== "mean" && pooling !== "cls") throw invalidInput("pooling", `must be "mean" or "cls", got ${JSON.stringify(pooling)}.`);
  const dimensions = options.dimensions === undefined ? undefined : positiveInteger("dimensions", options.dimensions);
  const maxBatchSize = options.maxBatchSize === undefined ? 32 : positiveInteger("maxBatchSize", options.maxBatchSize);
  const isPath = localModelPath !== undefined || isAbsolute(model) || /^\.\.?[\\/]/.test(model);
  const location = localModelPath !== undefined ? resolve(localModelPath, model) : isPath ? resolve(model) : model;
  return { model, location, isPath, localFilesOnly: isPath || localFilesOnly, cacheDir, dtype, pooling, dimensions, maxBatchSize };
}

function describeModel(settings: Settings): string {
  return settings.isPath ? `${JSON.stringify(settings.model)} from ${settings.location}` : JSON.stringify(settings.model);
}

function loadHint(settings: Settings): string {
  const weights = settings.dtype === "fp32" || settings.dtype === "auto" ? "onnx/model.onnx" : `the onnx/ weights for dtype "${settings.dtype}"`;
  if (settings.isPath) return `Check that the directory holds config.json, tokenizer.json, tokenizer_config.json and ${weights}.`;
  if (settings.localFilesOnly) return `localFilesOnly is true, so the model must already be in the cache (cacheDir); download it once with localFilesOnly: false, or pass a local directory.`;
  return `Check the model id, that the model has ONNX weights (${weights}), and that the Hugging Face hub is reachable; or pass a local directory.`;
}

function text(field: string, value: unknown, what: string): string {
  if (typeof value !== "string" || value.trim() === "") throw invalidInput(field, `must be ${what}; got ${JSON.stringify(value) ?? "undefined"}.`);
  return value.trim();
}

function positiveInteger(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) throw invalidInput(field, `must be a positive integer, got ${String(value)}.`);
  return value;
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.+$/, "");
}
