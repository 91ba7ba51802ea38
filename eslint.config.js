import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Dependencies point inward (DESIGN.md): each layer lists the layers it must not import.
// Import cycles are caught by test/architecture.test.ts.
const layers = [
  { from: "src/domain/**", forbid: ["**/store/**", "**/ingest/**", "**/recall/**", "**/share/**", "**/providers/**", "**/memory.js", "**/cli/**", "**/server/**"] },
  { from: "src/store/**", forbid: ["**/ingest/**", "**/recall/**", "**/share/**", "**/memory.js", "**/cli/**", "**/server/**"] },
  { from: "src/providers/**", forbid: ["**/store/**", "**/ingest/**", "**/recall/**", "**/share/**", "**/memory.js", "**/cli/**", "**/server/**"] },
  { from: "src/ingest/**", forbid: ["**/memory.js", "**/cli/**", "**/server/**"] },
  { from: "src/recall/**", forbid: ["**/ingest/**", "**/share/**", "**/memory.js", "**/cli/**", "**/server/**"] },
  { from: "src/share/**", forbid: ["**/ingest/**", "**/memory.js", "**/cli/**", "**/server/**"] },
  { from: "src/server/**", forbid: ["**/cli/**"] },
];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "scripts/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "no-console": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...layers.map((layer) => ({
    files: [layer.from],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: layer.forbid.map((group) => ({ group: [group], message: "Dependencies point inward (DESIGN.md)." })) }] },
  })),
  { files: ["src/cli/**", "bench/**", "test/**", "examples/**", "**/*.test.ts"], rules: { "no-console": "off" } },
);
