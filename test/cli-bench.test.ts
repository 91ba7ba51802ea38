import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { QualityReport } from "../bench/quality-report.js";
import { cliSandbox, type CliSandbox } from "./support/run-cli.js";

const MINI = fileURLToPath(new URL("../bench/__fixtures__/locomo-mini.json", import.meta.url));

describe("mnemo bench locomo|run switches", () => {
  let sandbox: CliSandbox;
  before(() => (sandbox = cliSandbox()));
  after(() => sandbox.remove());

  it("--without and --weights change the configuration the report names", () => {
    const result = sandbox.run(["bench", "locomo", MINI, "--without", "time,neighbours", "--weights", "feedback=0.5", "--json", "out.json"], { withoutDb: true });
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(readFileSync(`${sandbox.directory}/out.json`, "utf8")) as QualityReport;
    assert.equal(report.config.generators, "text,feedback");
    assert.equal(report.config.neighbours, "off");
  });

  it("--ablation runs the defaults, then each part switched, and prints the differences", () => {
    const result = sandbox.run(["bench", "locomo", MINI, "--ablation", "--json", "ablation.json"], { withoutDb: true });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^without neighbours\s+\d\.\d{3} \([+-]\d\.\d{3}\)/m);
    const { ablation } = JSON.parse(readFileSync(`${sandbox.directory}/ablation.json`, "utf8")) as { ablation: (QualityReport & { configuration: string })[] };
    assert.deepEqual(
      ablation.map((run) => [run.configuration, run.config.generators, run.config.neighbours]),
      [
        ["defaults", "text,time", "on"],
        ["without neighbours", "text,time", "off"],
        ["without text", "time", "on"],
        ["with sessions", "text,sessions,time", "on"],
        ["with feedback", "text,feedback,time", "on"],
        ["with graph", "text,graph,time", "on"],
        ["without time", "text", "on"],
      ],
    );
  });

  it("refuses unknown parts and weights as bad usage, and a --json folder that does not exist before running", () => {
    for (const [args, message] of [
      [["--without", "time,colour"], /unknown parts \(colour\)/],
      [["--weights", "feedback=much"], /"feedback=much" is not name=weight/],
      [["--weights", "vector=1"], /"vector=1" is not name=weight/],
    ] as const) {
      const result = sandbox.run(["bench", "locomo", MINI, ...args], { withoutDb: true });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
    }
    const result = sandbox.run(["bench", "locomo", MINI, "--json", "no/such/folder/out.json"], { withoutDb: true });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /Cannot write --json no\/such\/folder\/out\.json: the folder .* does not exist/);
    assert.doesNotMatch(result.stderr, /case 1\//, "fails before running");
  });
});

describe("mnemo bench feed", () => {
  let sandbox: CliSandbox;
  before(() => (sandbox = cliSandbox()));
  after(() => sandbox.remove());

  it("prints the latency and throughput of the change feed and writes BENCHMARKS.md's keys", () => {
    const flags = ["--subscribers", "2", "--latency-changes", "10", "--interval-ms", "0", "--changes", "60", "--batch-size", "25", "--durability", "normal"];
    const result = sandbox.run(["bench", "feed", ...flags, "--json", "feed.json"], { withoutDb: true });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^commit → subscriber\s+\d+\.\d{3}\s+\d+\.\d{3}$/m);
    assert.match(result.stdout, /every subscriber received all 90 changes once, in order/);
    const report = JSON.parse(readFileSync(`${sandbox.directory}/feed.json`, "utf8")) as { subscribers: number; changesPerSecond: number; latencyMs: { p50: number; p99: number } };
    assert.equal(report.subscribers, 2);
    assert.ok(report.changesPerSecond > 0 && report.latencyMs.p50 <= report.latencyMs.p99);
  });
});
