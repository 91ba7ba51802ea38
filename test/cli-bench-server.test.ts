import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { ServerBenchReport } from "../bench/server/run-server-bench.js";
import { cliSandbox, type CliSandbox } from "./support/run-cli.js";

const MINI = fileURLToPath(new URL("../bench/__fixtures__/locomo-mini.json", import.meta.url));

describe("mnemo bench server", () => {
  let sandbox: CliSandbox;
  before(() => (sandbox = cliSandbox()));
  after(() => sandbox.remove());

  it("loads recall and ingest over loopback for the given time and writes the figures BENCHMARKS.md names", async () => {
    const result = await sandbox.runAsync(["bench", "server", MINI, "--duration", "1", "--connections", "2", "--json", "server.json"], { withoutDb: true });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^recall\s+[\d.]+\s+\d+\s+\d+\s+\d+\s+0$/m);
    const report = JSON.parse(readFileSync(`${sandbox.directory}/server.json`, "utf8")) as ServerBenchReport;
    for (const phase of [report.recall, report.ingest]) {
      assert.ok(phase.requests > 0 && phase.requestsPerSecond > 0, JSON.stringify(phase));
      assert.ok(phase.p99Ms >= phase.p50Ms);
      assert.equal(phase.errors, 0);
    }
    assert.equal(report.errors, 0);
    assert.deepEqual(report.corpus, { turns: 6, queries: 4 });
  });

  it("says what is wrong with its options", () => {
    const result = sandbox.run(["bench", "server", MINI, "--duration", "0"], { withoutDb: true });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--duration/);
  });
});
