import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { createMemory } from "../../src/memory.js";
import { issueApiKey } from "../../src/server/api-keys.js";
import { openSqliteStore } from "../../src/store/sqlite/open-sqlite-store.js";
import type { BenchCase } from "../neutral-format.js";
import { round } from "../percentiles.js";

export interface ServerBenchOptions {
  /** Conversations ingested before the load, and whose questions are the recall queries. */
  cases: readonly BenchCase[];
  /** Seconds of load per phase. */
  durationSeconds: number;
  connections: number;
  version: string;
  commit: string;
}

export interface PhaseFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
}

export interface ServerBenchReport {
  recall: PhaseFigures;
  ingest: PhaseFigures;
  /** Failed requests of both phases: non-2xx replies, socket errors and timeouts. */
  errors: number;
  corpus: { turns: number; queries: number };
  connections: number;
  durationSeconds: number;
  setup: string;
  version: string;
  commit: string;
}

/**
 * `mnemo bench server`: recall and ingest over HTTP on loopback, each for a fixed time with autocannon
 * (keep-alive connections, one request in flight each). The server runs in a child process with the
 * settings of `mnemo serve` (heuristic extraction in the background) but no rate limit; the corpus is
 * ingested through the library first.
 */
export async function runServerBench(options: ServerBenchOptions): Promise<ServerBenchReport> {
  const directory = mkdtempSync(join(tmpdir(), "mnemo-bench-server-"));
  const path = join(directory, "bench.db");
  try {
    const { key, turns } = await seed(path, options.cases);
    const queries = options.cases.flatMap((entry) => entry.questions.map((question) => question.question));
    if (queries.length === 0) queries.push("What happened last week?");
    const child = await startServer(path);
    try {
      const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
      let query = 0;
      const recall = await load(child.url, options, {
        method: "POST",
        path: "/v1/recall",
        headers,
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ query: queries[query++ % queries.length] }) }),
      });
      let event = 0;
      const ingest = await load(child.url, options, {
        method: "POST",
        path: "/v1/events",
        headers,
        setupRequest: (request) => {
          event++;
          const text = `Bench note ${event}: the sensor in room ${event % 97} read ${(event * 7) % 41} degrees after the deploy`;
          return { ...request, body: JSON.stringify({ text, idempotencyKey: `bench-${event}`, speaker: "bench" }) };
        },
      });
      return {
        recall,
        ingest,
        errors: recall.errors + ingest.errors,
        corpus: { turns, queries: queries.length },
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        setup: "server in a child process (mnemo serve settings, no rate limit), autocannon in this one, keep-alive, 1 request in flight per connection",
        version: options.version,
        commit: options.commit,
      };
    } finally {
      await child.stop();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function seed(path: string, cases: readonly BenchCase[]): Promise<{ key: string; turns: number }> {
  const store = await openSqliteStore({ path });
  try {
    const memory = await createMemory({ store, tenant: "bench", principal: "agent", extraction: false });
    let turns = 0;
    for (const entry of cases) {
      for (const session of entry.sessions) {
        const events = session.turns.map((turn) => ({ text: turn.text, speaker: turn.speaker, sessionId: `${entry.id}/${session.id}`, occurredAt: session.date }));
        if (events.length > 0) await memory.ingest(events);
        turns += events.length;
      }
    }
    await memory.close();
    const { key } = await issueApiKey(store, { tenantId: "bench", principalId: "agent", name: "bench" }, Date.now());
    return { key, turns };
  } finally {
    await store.close();
  }
}

async function startServer(path: string): Promise<{ url: string; stop: () => Promise<void> }> {
  // Under tsx the child is the .ts file beside this one, in dist/ the compiled .js.
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const script = fileURLToPath(new URL(`./server-child${extension}`, import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, script, path], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([new Promise<string>((resolve) => lines.once("line", resolve)), exited.then((code) => Promise.reject(new Error(`the bench server exited with ${code} before listening`)))]);
  const { url } = JSON.parse(first) as { url: string };
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function load(url: string, options: ServerBenchOptions, request: autocannon.Request): Promise<PhaseFigures> {
  const result = await autocannon({ url, connections: options.connections, duration: options.durationSeconds, requests: [request], timeout: 10 });
  return {
    requestsPerSecond: round(result.requests.total / result.duration, 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.non2xx + result.errors,
  };
}

export function formatServerReport(report: ServerBenchReport): string {
  const row = (name: string, figures: PhaseFigures): string =>
    `${name.padEnd(8)} ${String(figures.requestsPerSecond).padStart(10)} ${String(figures.p50Ms).padStart(8)} ${String(figures.p99Ms).padStart(8)} ${String(figures.requests).padStart(9)} ${String(figures.errors).padStart(7)}`;
  return [
    `mnemo bench server: ${report.corpus.turns} turns seeded, ${report.connections} connections, ${report.durationSeconds} s per phase (${report.commit})`,
    `${"phase".padEnd(8)} ${"req/s".padStart(10)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"requests".padStart(9)} ${"errors".padStart(7)}`,
    row("recall", report.recall),
    row("ingest", report.ingest),
  ].join("\n");
}
