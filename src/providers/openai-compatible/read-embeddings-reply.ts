import { MemoryError } from "../../domain/memory-error.js";
import { l2Normalize } from "../embedding-vectors.js";

export interface EmbeddingsReplyContext {
  provider: string;
  url: string;
  /** How many texts the request sent. */
  count: number;
  dimensions: number;
}

/**
 * Reads an `/embeddings` reply into one L2-normalised vector per text, in input order. Only what we use is
 * checked, but strictly: `data` has one item per text; items carry an `index` (all of them, each 0..count-1
 * once: they are put in that order) or none do (then their order is the input order); each `embedding` is
 * `dimensions` finite numbers, as a JSON array or as base64 little-endian float32 (`encoding_format:
 * "base64"`), and not all zero. Anything else is a `provider` error, never a silently wrong vector.
 */
export function readEmbeddingsReply(body: unknown, context: EmbeddingsReplyContext): Float32Array[] {
  const data = isRecord(body) ? body.data : undefined;
  if (!Array.isArray(data)) throw malformed(context, `it has no "data" array (got ${describe(isRecord(body) ? body.data : body)})`);
  if (data.length !== context.count) throw malformed(context, `it has ${data.length} embeddings for ${context.count} texts`);
  const items = data.map((item: unknown, position) => {
    if (!isRecord(item)) throw malformed(context, `data[${position}] is ${describe(item)}, not an object`);
    return item;
  });
  const indexed = items.filter((item) => item.index !== undefined).length;
  if (indexed !== 0 && indexed !== items.length) throw malformed(context, `${indexed} of ${items.length} items have an "index"; it must be all or none`);
  const ordered: Record<string, unknown>[] = indexed === 0 ? items : new Array<Record<string, unknown>>(items.length);
  if (indexed !== 0) {
    items.forEach((item, position) => {
      const index = item.index;
      if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= items.length) {
        throw malformed(context, `data[${position}].index is ${describe(index)}, not an integer from 0 to ${items.length - 1}`);
      }
      if (ordered[index] !== undefined) throw malformed(context, `index ${index} appears twice, so another text has no embedding`);
      ordered[index] = item;
    });
  }
  return ordered.map((item, index) => readVector(item.embedding, index, context));
}

function readVector(embedding: unknown, index: number, context: EmbeddingsReplyContext): Float32Array {
  const values = typeof embedding === "string" ? decodeBase64Floats(embedding, index, context) : embedding;
  if (!Array.isArray(values) && !(values instanceof Float32Array)) throw malformed(context, `the embedding for texts[${index}] is ${describe(embedding)}, not an array of numbers`);
  if (values.length !== context.dimensions) {
    throw new MemoryError(
      "provider",
      `${context.provider}: the embedding for texts[${index}] has ${values.length} dimensions, but the embedder was created with dimensions: ${context.dimensions}. Set dimensions to ${values.length} to match the model, or choose a model (or sendDimensions: true, if the model can shorten its vectors) that gives ${context.dimensions}.`,
      { details: { provider: context.provider, url: context.url, expected: context.dimensions, actual: values.length } },
    );
  }
  const bad = Array.prototype.findIndex.call(values, (value: unknown) => typeof value !== "number" || !Number.isFinite(value));
  if (bad !== -1) throw malformed(context, `the embedding for texts[${index}] has ${describe(values[bad])} at position ${bad}, not a finite number`);
  const normalized = l2Normalize(values as ArrayLike<number>);
  if (normalized === undefined) throw malformed(context, `the embedding for texts[${index}] is all zeros (or too large to normalise), so it has no direction`);
  return normalized;
}

function decodeBase64Floats(text: string, index: number, context: EmbeddingsReplyContext): Float32Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % 4 !== 0) throw malformed(context, `the base64 embedding for texts[${index}] is ${bytes.length} bytes, not a whole number of float32 values`);
  const floats = new Float32Array(bytes.length / 4);
  for (let position = 0; position < floats.length; position += 1) floats[position] = bytes.readFloatLE(position * 4);
  return floats;
}

function malformed(context: EmbeddingsReplyContext, problem: string): MemoryError {
  return new MemoryError("provider", `${context.provider}: the reply to POST ${context.url} is not a valid embeddings response: ${problem}. Check that baseURL points at an OpenAI-compatible embeddings API.`, {
    details: { provider: context.provider, url: context.url },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
