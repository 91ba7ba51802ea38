import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { scriptedExtractionModel } from "../bench/llm/scripted-extraction-model.js";
import { createMemory, createOpenAIChat } from "../src/index.js";
import { startOpenAITestServer } from "../src/testing/openai-test-server.js";
import { tempDirectory } from "./support/memory-fixtures.js";

const TSX = import.meta.resolve("tsx");
const CHILD = fileURLToPath(new URL("./support/run-jobs-child.ts", import.meta.url));
const CITIES = ["Rome", "Paris", "Oslo", "Lima", "Kyiv", "Quito", "Hanoi", "Dakar", "Bern", "Riga"];
const LEASE_MS = 300_000;

describe("a worker killed mid-job", () => {
  it("loses nothing and finishes every job exactly once after a restart", async () => {
    const directory = await tempDirectory("mnemo-crash-");
    // A slow model, so that the kill lands while calls are in flight.
    const server = await startOpenAITestServer({ chat: scriptedExtractionModel, chatDelayMs: 150 });
    try {
      const path = join(directory.path, "memory.db");
      const writer = await createMemory({ path, extraction: { background: false, batchSize: 1 }, llm: createOpenAIChat({ baseURL: server.baseURL, model: "scripted" }) });
      const { events } = await writer.ingest(CITIES.map((city, index) => ({ text: `I live in ${city}.`, speaker: `Person${index}` })));
      await writer.close();

      const child = spawn(process.execPath, ["--import", TSX, CHILD, path, server.baseURL], { stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
      // Kill once a few batches are done and others are waiting on the model.
      const deadline = Date.now() + 60_000;
      while (server.requests.length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      child.kill("SIGKILL");
      assert.equal(await exited, "SIGKILL", `the worker was killed mid-run (stderr: ${stderr})`);

      // The killed worker's leases must run out before another worker may take its jobs.
      const later = Date.now() + LEASE_MS + 1_000;
      const restarted = await createMemory({
        path,
        clock: () => new Date(later),
        extraction: { background: false, batchSize: 1 },
        llm: createOpenAIChat({ baseURL: server.baseURL, model: "scripted" }),
      });
      const before = (await restarted.jobs.list({ status: "done" })).length;
      assert.ok(before >= 1 && before < CITIES.length, `some jobs finished before the kill, not all (${before})`);
      const summary = await restarted.jobs.run();
      assert.equal(summary.done, CITIES.length - before);
      const jobs = await restarted.jobs.list({ limit: 100 });
      assert.deepEqual(new Set(jobs.map((job) => job.status)), new Set(["done"]));
      assert.ok(jobs.some((job) => job.attempts === 2), "at least one job was in flight when the worker died, and ran again");

      const facts = (await restarted.list({ kinds: ["fact"], limit: 100 })).items;
      assert.deepEqual(facts.map((fact) => fact.text).sort(), CITIES.map((city, index) => `Person${index} lives in ${city}.`).sort(), "each fact once");
      const bySource = new Map<string, number>();
      for (const fact of facts) for (const id of fact.sourceEventIds) bySource.set(id, (bySource.get(id) ?? 0) + 1);
      for (const event of events) assert.equal(bySource.get(event.eventId), 1, `event ${event.eventId} gave exactly one memory`);
      const stats = await restarted.stats();
      assert.equal(stats.events, CITIES.length);
      assert.equal(stats.memoriesByKind.episode, CITIES.length, "no event lost");
      await restarted.close();
    } finally {
      await server.close();
      await directory.remove();
    }
  });
});
