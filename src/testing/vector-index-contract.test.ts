import { createVectorIndex } from "../store/vector/create-vector-index.js";
import { createExactVectorIndex } from "../store/vector/exact-vector-index.js";
import { createUsearchVectorIndex } from "../store/vector/usearch-vector-index.js";
import { testVectorIndex } from "./vector-index-contract.js";

testVectorIndex({ name: "exact-f32", create: ({ dimensions }) => createExactVectorIndex({ dimensions }) });
testVectorIndex({ name: "exact-i8", create: ({ dimensions }) => createExactVectorIndex({ dimensions, precision: "i8" }), tolerance: 0.005 });
testVectorIndex({ name: "usearch-hnsw-i8", create: ({ dimensions }) => createUsearchVectorIndex({ dimensions }), approximate: true, tolerance: 0.02 });
testVectorIndex({ name: "usearch-hnsw-f32", create: ({ dimensions }) => createUsearchVectorIndex({ dimensions, quantization: "f32" }), approximate: true, tolerance: 1e-4 });
// A threshold this low switches to HNSW (and back, after removals) in the middle of most tests.
testVectorIndex({ name: "auto (annThreshold 4)", create: ({ dimensions }) => createVectorIndex({ dimensions, annThreshold: 4 }), approximate: true, tolerance: 1e-4 });
