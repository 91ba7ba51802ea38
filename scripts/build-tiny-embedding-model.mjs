// Writes the tiny transformers.js model that src/providers/transformers tests load:
//   node --import tsx scripts/build-tiny-embedding-model.mjs
// Output (a few KB, committed): src/providers/transformers/__fixtures__/tiny-model/
//   config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx
//
// The model is one ONNX Gather: input_ids [batch, sequence] (int64) index a word-embedding table, giving
// last_hidden_state [batch, sequence, HIDDEN_SIZE]. The tokenizer is BERT-style WordPiece with a few dozen
// whole words. Each word's vector is its topic's direction plus seeded noise, so after mean pooling texts
// that share words, or words of one topic, point the same way. [PAD], [CLS] and [SEP] embed to zero so
// they add nothing; a text of only those embeds to the zero vector. The ONNX protobuf is encoded by hand
// below, so no Python or onnx package is needed. Output is byte-for-byte deterministic.
import { mkdirSync, writeFileSync } from "node:fs";
import { mulberry32 } from "../src/testing/mulberry32.ts";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "providers", "transformers", "__fixtures__", "tiny-model");
const HIDDEN_SIZE = 16;
const MAX_LENGTH = 64;

const SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
const TOPICS = {
  pets: ["cat", "cats", "dog", "dogs", "kitten", "puppy", "vet", "leash"],
  food: ["pizza", "pasta", "cheese", "tomato", "soup", "bread", "dinner", "cook"],
  travel: ["paris", "train", "flight", "hotel", "ticket", "airport", "trip", "beach"],
  code: ["typescript", "node", "server", "database", "query", "bug", "deploy", "test"],
};
const FILLERS = ["the", "a", "my", "is", "in", "to", "and", "of", "on", "likes", "loves", "we", "i", "with", "for", "."];

// Seeded, so every run writes the same weights.
const random = mulberry32(20240301);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const randomVector = (scale) => Array.from({ length: HIDDEN_SIZE }, () => gaussian() * scale);

const vocabulary = [...SPECIAL_TOKENS, ...Object.values(TOPICS).flat(), ...FILLERS];
const rows = new Map(SPECIAL_TOKENS.map((token) => [token, new Array(HIDDEN_SIZE).fill(0)]));
rows.set("[UNK]", randomVector(0.2));
for (const words of Object.values(TOPICS)) {
  const topic = randomVector(1);
  for (const word of words) {
    const noise = randomVector(0.7);
    rows.set(word, topic.map((value, index) => value + (noise[index] ?? 0)));
  }
}
for (const word of FILLERS) rows.set(word, randomVector(0.25));
const weights = new Float32Array(vocabulary.flatMap((token) => rows.get(token)));

// --- protobuf encoding (only what onnx.proto needs here) ---
function varint(value) {
  const bytes = [];
  let rest = BigInt(value);
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0n);
  return Buffer.from(bytes);
}
const key = (field, wireType) => varint((field << 3) | wireType);
const integer = (field, value) => Buffer.concat([key(field, 0), varint(value)]);
const bytes = (field, value) => {
  const payload = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  return Buffer.concat([key(field, 2), varint(payload.length), payload]);
};
const message = (field, parts) => bytes(field, Buffer.concat(parts));

const FLOAT = 1;
const INT64 = 7;
const dimension = (value) => message(1, [typeof value === "number" ? integer(1, value) : bytes(2, value)]);
const valueInfo = (field, name, elementType, shape) =>
  message(field, [bytes(1, name), message(2, [message(1, [integer(1, elementType), message(2, shape.map(dimension))])])]);

const embeddingTable = message(5, [
  integer(1, vocabulary.length),
  integer(1, HIDDEN_SIZE),
  integer(2, FLOAT),
  bytes(8, "embeddings.word_embeddings.weight"),
  bytes(9, Buffer.from(weights.buffer)),
]);
const gather = message(1, [bytes(1, "embeddings.word_embeddings.weight"), bytes(1, "input_ids"), bytes(2, "last_hidden_state"), bytes(3, "embed"), bytes(4, "Gather")]);
const graph = message(7, [
  gather,
  bytes(2, "tiny-embedder"),
  embeddingTable,
  valueInfo(11, "input_ids", INT64, ["batch_size", "sequence_length"]),
  valueInfo(12, "last_hidden_state", FLOAT, ["batch_size", "sequence_length", HIDDEN_SIZE]),
]);
const model = Buffer.concat([
  integer(1, 8), // IR version 8 (ONNX 1.10+)
  bytes(2, "mnemo scripts/build-tiny-embedding-model.mjs"),
  graph,
  message(8, [bytes(1, ""), integer(2, 13)]), // default domain, opset 13
]);

// --- tokenizer and config ---
const vocab = Object.fromEntries(vocabulary.map((token, id) => [token, id]));
const idOf = (token) => vocab[token];
const tokenizer = {
  version: "1.0",
  truncation: null,
  padding: null,
  added_tokens: SPECIAL_TOKENS.map((content) => ({ id: idOf(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
  normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: "BertPreTokenizer" },
  post_processor: {
    type: "TemplateProcessing",
    single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
    pair: [
      { SpecialToken: { id: "[CLS]", type_id: 0 } },
      { Sequence: { id: "A", type_id: 0 } },
      { SpecialToken: { id: "[SEP]", type_id: 0 } },
      { Sequence: { id: "B", type_id: 1 } },
      { SpecialToken: { id: "[SEP]", type_id: 1 } },
    ],
    special_tokens: {
      "[CLS]": { id: "[CLS]", ids: [idOf("[CLS]")], tokens: ["[CLS]"] },
      "[SEP]": { id: "[SEP]", ids: [idOf("[SEP]")], tokens: ["[SEP]"] },
    },
  },
  decoder: { type: "WordPiece", prefix: "##", cleanup: true },
  model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
};
const tokenizerConfig = {
  tokenizer_class: "BertTokenizer",
  do_lower_case: true,
  model_max_length: MAX_LENGTH,
  pad_token: "[PAD]",
  unk_token: "[UNK]",
  cls_token: "[CLS]",
  sep_token: "[SEP]",
  mask_token: "[MASK]",
};
const config = {
  model_type: "bert",
  architectures: ["BertModel"],
  hidden_size: HIDDEN_SIZE,
  vocab_size: vocabulary.length,
  max_position_embeddings: MAX_LENGTH,
  num_hidden_layers: 0,
  num_attention_heads: 1,
  pad_token_id: idOf("[PAD]"),
};

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
mkdirSync(join(OUTPUT, "onnx"), { recursive: true });
writeFileSync(join(OUTPUT, "config.json"), json(config));
writeFileSync(join(OUTPUT, "tokenizer.json"), json(tokenizer));
writeFileSync(join(OUTPUT, "tokenizer_config.json"), json(tokenizerConfig));
writeFileSync(join(OUTPUT, "onnx", "model.onnx"), model);
console.log(`Wrote ${OUTPUT}: ${vocabulary.length} tokens × ${HIDDEN_SIZE} dimensions, model.onnx ${model.length} bytes.`);
