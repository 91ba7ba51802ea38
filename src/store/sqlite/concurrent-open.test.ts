import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";

const openStore = fileURLToPath(new URL("./open-sqlite-store.ts", import.meta.url));

function openInChild(path: string): Promise<{ code: number | null; stderr: string }> {
  const script = `const { openSqliteStore } = await import(${JSON.stringify(openStore)}); const store = await openSqliteStore({ path: ${JSON.stringify(path)} }); await store.close();`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("opening a new database file from several processes at once", () => {
  it("migrates it once, and every process opens it", async () => {
    const directory = await mkdtemp(join(tmpdir(), "mnemo-concurrent-open-"));
    try {
      for (let round = 0; round < 3; round += 1) {
        const path = join(directory, `round-${round}.db`);
        const results = await Promise.all([1, 2, 3, 4].map(() => openInChild(path)));
        assert.deepEqual(
          results.map((result) => (result.code === 0 ? "ok" : result.stderr.split("\n").find((line) => line.includes("Error")) ?? result.stderr)),
          ["ok", "ok", "ok", "ok"],
        );
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
