import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { parseSizes } from "../../src/cli/commands/bench-scale.js";
import { cliSandbox, type CliSandbox } from "../../test/support/run-cli.js";
import type { ScaleReport } from "./scale-report.js";

describe("mnemo bench scale", () => {
  let sandbox: CliSandbox;
  before(() => (sandbox = cliSandbox()));
  after(() => sandbox.remove());

  it("prints a table and writes the JSON of BENCHMARKS.md", () => {
    const result = sandbox.run(["bench", "scale", "--sizes", "250", "--queries", "10", "--vectors-up-to", "0", "--durability", "normal", "--json", "scale.json"], { withoutDb: true });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^250\s+\d+\s+fts5\s/m);
    assert.match(result.stdout, /wrote scale\.json/);
    const report = JSON.parse(readFileSync(`${sandbox.directory}/scale.json`, "utf8")) as ScaleReport;
    assert.equal(report.sizes.length, 1);
    assert.equal(report.sizes[0]!.memories, 250);
    assert.equal(report.sizes[0]!.vectorSearch, undefined);
    assert.equal(report.config.durability, "normal");
  });

  it("rejects bad --sizes as bad usage (exit 2) and says why", () => {
    const result = sandbox.run(["bench", "scale", "--sizes", "10000,abc"], { withoutDb: true });
    assert.equal(result.status, 2, result.stderr);
    assert.ok(result.stderr.includes('--sizes must be a comma-separated list of whole numbers from 1 to 10,000,000, e.g. 10000,100000; "abc" is not one.'), result.stderr);
  });

  it("rejects a --queries that is not a positive whole number, and a --json folder that does not exist", () => {
    assert.equal(sandbox.run(["bench", "scale", "--queries", "0"], { withoutDb: true }).status, 2);
    const result = sandbox.run(["bench", "scale", "--sizes", "100", "--json", "no/such/folder/out.json"], { withoutDb: true });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Cannot write --json no\/such\/folder\/out\.json: the folder .* does not exist/);
  });

  it("says in --help that a million memories is possible but slow", () => {
    const result = sandbox.run(["bench", "scale", "--help"], { withoutDb: true });
    assert.equal(result.status, 0);
    assert.match(result.stdout, /1,000,000 memories works/);
  });
});

describe("parseSizes", () => {
  it("reads a comma-separated list, deduplicated and smallest first", () => {
    assert.deepEqual(parseSizes("100000, 10000,10000"), [10_000, 100_000]);
  });

  for (const [sizes, shown] of [
    ["0", '"0"'],
    ["10,,20", "an empty item"],
    ["1.5", '"1.5"'],
    ["-5", '"-5"'],
    ["20000000", '"20000000"'],
  ] as const) {
    it(`rejects ${sizes}, naming ${shown}`, () => {
      assert.throws(() => parseSizes(sizes), (error: Error) => error.message.endsWith(`e.g. 10000,100000; ${shown} is not one.`));
    });
  }
});
