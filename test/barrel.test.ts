import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";

// Importing mnemo must cost nothing: the native SQLite driver loads only when a memory opens.
const probe = `
import { createRequire } from "node:module";
const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((path) => /better-sqlite3/.test(path));
const mnemo = await import("./src/index.ts");
const before = loaded();
const memory = await mnemo.createMemory({ path: ":memory:" });
await memory.close();
console.log(JSON.stringify({ exports: Object.keys(mnemo).sort(), before, after: loaded() }));
`;

describe("the root entry", () => {
  it("loads no storage driver until createMemory() is called", () => {
    const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], { encoding: "utf8", cwd: new URL("..", import.meta.url) });
    const result = JSON.parse(output) as { exports: string[]; before: string[]; after: string[] };
    assert.deepEqual(result.before, []);
    assert.ok(result.after.some((path) => path.includes("better-sqlite3")), "createMemory() should have loaded better-sqlite3, which shows the probe can see it");
    assert.deepEqual(result.exports, [
      "ADMISSION_MODES",
      "ADMISSION_STATUSES",
      "CHANGE_OPERATIONS",
      "EVENT_KINDS",
      "EVENT_ROLES",
      "JOB_STATUSES",
      "MEMORY_ERROR_CODES",
      "MEMORY_KINDS",
      "MemoryError",
      "SPACE_ROLES",
      "SPACE_TYPES",
      "TENANT_SPACE", "createMemory", "createOpenAIChat", "createOpenAIEmbedder", "createTransformersEmbedder", "createVectorIndex"]);
  });
});
