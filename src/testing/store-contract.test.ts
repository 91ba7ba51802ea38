import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";

/** Runs the SQLite contract suite with a skip list in a child test run and returns its TAP output. */
function runWithSkip(skip: Record<string, string>): { status: number | null; output: string } {
  const script = `
    import { testStore } from "./src/testing/index.ts";
    import { openSqliteStore } from "./src/store/sqlite/index.ts";
    testStore({ name: "child", create: () => openSqliteStore({ path: ":memory:" }), skip: ${JSON.stringify(skip)} });`;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--test-reporter=tap", "--input-type=module", "-e", script], {
    cwd: new URL("../..", import.meta.url),
    encoding: "utf8",
    env: { ...process.env, NODE_TEST_CONTEXT: undefined },
  });
  return { status: child.status, output: child.stdout + child.stderr };
}

describe("testStore", () => {
  it("skips the tests its skip list names, with the reason", () => {
    const { status, output } = runWithSkip({ "an empty call returns nothing and writes nothing": "not supported by this fake" });
    assert.equal(status, 0, output);
    assert.match(output, /an empty call returns nothing and writes nothing # SKIP not supported by this fake/);
    assert.match(output, /# skipped 1\n/);
    assert.match(output, /# fail 0\n/);
  });

  it("fails when the skip list names a test that does not exist", () => {
    const { status, output } = runWithSkip({ "a test nobody wrote": "typo" });
    assert.notEqual(status, 0);
    assert.match(output, /the skip list names tests that do not exist: a test nobody wrote/);
  });
});
