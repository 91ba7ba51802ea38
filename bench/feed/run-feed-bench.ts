import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { formatCount } from "../../src/cli/format-figures.js";
import { createMemory, type ChangeEvent, type Memory, type MemoryStore } from "../../src/index.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { percentile, round } from "../percentiles.js";

export interface FeedBenchOptions {
  /** Readers subscribed to the shared space, each its own principal with the read role. @default 10 */
  subscribers?: number;
  /** Changes written one per ingest call at a steady pace, for the latency figures. @default 2000 */
  latencyChanges?: number;
  /** Time between the starts of two paced writes, in ms (a write that takes longer delays the next). @default 2 */
  intervalMs?: number;
  /** Changes written as fast as the writer can, in batches, for the throughput figure. @default 20000 */
  changes?: number;
  /** Events per ingest call while measuring throughput. @default 100 */
  batchSize?: number;
  /** @default "full" */
  durability?: "full" | "normal";
  /**
   * Writing stops once this much time has passed (the report then says `timedOut`); subscribers then get
   * up to DRAIN_GRACE_MS more to receive what was written before the run fails. @default 120000
   */
  timeLimitMs?: number;
  version: string;
  commit: string;
  /** Sees every change each subscriber receives, as it receives it (subscribers are numbered from 0). */
  onChange?: (subscriber: number, change: ChangeEvent) => void;
}

/** BENCHMARKS.md's keys for `mnemo bench feed` first, then how they were measured. */
export interface FeedBenchReport {
  subscribers: number;
  /** Changes committed and delivered to every subscriber per second, writing in batches as fast as possible. */
  changesPerSecond: number;
  /** Paced writes: from the commit (the store's own commit notice) to a subscriber's loop receiving the change; one sample per change and subscriber. */
  latencyMs: { p50: number; p99: number; max: number };
  /** False: `latencyMs` starts at the commit. `latencyWithWriteMs` starts before the ingest call instead. */
  latencyIncludesWrite: boolean;
  /** Paced writes: from just before `ingest()` is called to a subscriber receiving the change (an upper bound that includes the write). */
  latencyWithWriteMs: { p50: number; p99: number };
  /** Paced writes: from just before `ingest()` is called to the store's commit notice. */
  writeMs: { p50: number; p99: number };
  /** Throughput run: from the commit of a batch to a subscriber receiving each of its changes. */
  burstLatencyMs: { p50: number; p99: number };
  /** Changes written: paced (latency), burst (throughput) and untimed warm-up writes. */
  changes: { paced: number; burst: number; warmUp: number };
  /** The mean time between the starts of two paced writes, as it turned out (`config.intervalMs` is the target). */
  pacedIntervalMs: number;
  /** `changesPerSecond` times the number of subscribers. */
  deliveriesPerSecond: number;
  /** Every subscriber should receive every change once, in sequence order, with its record: all zeros. */
  delivery: { expected: number; missing: number; duplicated: number; outOfOrder: number; withoutRecord: number };
  peakRssMB: number;
  /** True when writing stopped at the time limit, before all changes were written. */
  timedOut: boolean;
  config: {
    store: string;
    durability: "full" | "normal";
    /** The writer and every subscriber share one store object, which announces its commits at once: no polling. */
    pollChangesMs: number;
    intervalMs: number;
    batchSize: number;
    timeLimitMs: number;
    version: string;
    commit: string;
  };
}

const WARM_UP_WRITES = 20;
/** How long subscribers may take, after writing stopped, to receive everything before the run fails. */
const DRAIN_GRACE_MS = 30_000;
const TENANT = "bench";
const SPACE = "team";

/** What each subscriber received, in order of arrival. */
interface Received {
  seq: number[];
  memoryId: (string | null)[];
  at: number[];
  withoutRecord: number;
}

/** One ingest call: when it started, when the store announced its commit, and the memories it made. */
interface Write {
  phase: "warm-up" | "paced" | "burst";
  startedAt: number;
  committedAt: number;
  memoryIds: string[];
}

/**
 * The change feed in process: one writer and `subscribers` readers, each a Memory of its own principal on
 * one SQLite store (a temp file, deleted afterwards). First paced writes, one event per ingest call, for
 * latency; then batches written back to back, for throughput. Every delivery is timed where the
 * subscriber's `for await` loop receives it and matched to its write by memory id.
 */
export async function runFeedBench(options: FeedBenchOptions): Promise<FeedBenchReport> {
  const settings = {
    subscribers: options.subscribers ?? 10,
    latencyChanges: options.latencyChanges ?? 2_000,
    intervalMs: options.intervalMs ?? 2,
    changes: options.changes ?? 20_000,
    batchSize: options.batchSize ?? 100,
    durability: options.durability ?? "full",
    timeLimitMs: options.timeLimitMs ?? 120_000,
  };
  const directory = mkdtempSync(join(tmpdir(), "mnemo-bench-feed-"));
  // Polling is for commits by other processes; here every commit goes through this store object and is
  // announced at once. It is off so that the commit notices timed below are commits, not polls.
  const store = await openSqliteStore({ path: join(directory, "feed.db"), durability: settings.durability, pollChangesMs: 0 });
  const memories: Memory[] = [];
  const consumers: Promise<void>[] = [];
  const closers: (() => void)[] = [];
  try {
    const open = (principal: string): Promise<Memory> => createMemory({ store, tenant: TENANT, principal, extraction: false });
    const writer = await open("writer");
    memories.push(writer);
    const readers: Memory[] = [];
    for (let index = 0; index < settings.subscribers; index += 1) readers.push(await open(`reader-${index + 1}`));
    memories.push(...readers);
    await writer.spaces.create(SPACE, { type: "shared", members: readers.map((_, index) => ({ principal: `reader-${index + 1}`, role: "read" as const })) });

    const commits = watchCommits(store);
    closers.push(commits.stop);
    const received = readers.map((): Received => ({ seq: [], memoryId: [], at: [], withoutRecord: 0 }));
    const arrivals = countArrivals(settings.subscribers);
    readers.forEach((reader, index) => {
      const subscription = reader.subscribe({ spaces: [SPACE] });
      closers.push(() => subscription.close());
      consumers.push(
        (async () => {
          for await (const change of subscription) {
            const log = received[index]!;
            log.at.push(performance.now());
            log.seq.push(change.seq);
            log.memoryId.push(change.memoryId);
            if (change.memory === null) log.withoutRecord += 1;
            options.onChange?.(index, change);
            arrivals.add(index);
          }
        })().catch(arrivals.fail),
      );
    });

    const deadline = performance.now() + settings.timeLimitMs;
    const writes: Write[] = [];
    let written = 0;
    const write = async (phase: Write["phase"], first: number, count: number): Promise<void> => {
      const events = Array.from({ length: count }, (_, offset) => ({ text: eventText(first + offset), space: SPACE, speaker: "writer" }));
      commits.reset();
      const startedAt = performance.now();
      const result = await writer.ingest(events);
      // The first commit notice after the call began is this write's: nothing else writes, and nothing polls.
      writes.push({ phase, startedAt, committedAt: commits.first() ?? performance.now(), memoryIds: result.events.map((event) => event.memoryId) });
      written += count;
    };

    for (let index = 0; index < WARM_UP_WRITES; index += 1) await write("warm-up", written, 1);
    await arrivals.waitFor(written, deadline + DRAIN_GRACE_MS);

    let timedOut = false;
    const pacedStart = performance.now();
    let paced = 0;
    for (; paced < settings.latencyChanges; paced += 1) {
      if (performance.now() > deadline) {
        timedOut = true;
        break;
      }
      await write("paced", written, 1);
      // Always a real timer, even when behind: the paced writes never run back to back.
      await sleep(Math.max(0, pacedStart + (paced + 1) * settings.intervalMs - performance.now()));
    }
    await arrivals.waitFor(written, deadline + DRAIN_GRACE_MS);

    const burstStart = performance.now();
    const beforeBurst = written;
    let burst = 0;
    while (burst < settings.changes && (burst === 0 || performance.now() <= deadline)) {
      const count = Math.min(settings.batchSize, settings.changes - burst);
      await write("burst", written, count);
      burst += count;
      // A writer in a real process gets its work from I/O and so yields to the event loop between calls;
      // without this, promise scheduling alone would decide how far the subscribers fall behind.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (burst < settings.changes) timedOut = true;
    await arrivals.waitFor(beforeBurst + burst, deadline + DRAIN_GRACE_MS);
    const lastDelivery = Math.max(...received.map((log) => log.at.at(-1) ?? burstStart));
    const burstSeconds = (lastDelivery - burstStart) / 1000;

    const latency = measureLatency(writes, received);
    const changesPerSecond = burstSeconds > 0 ? Math.round(burst / burstSeconds) : 0;
    const figures = (samples: readonly number[]) => ({ p50: round(percentile(samples, 50), 3), p99: round(percentile(samples, 99), 3) });
    return {
      subscribers: settings.subscribers,
      changesPerSecond,
      latencyMs: { ...figures(latency.paced), max: round(latency.paced.reduce((most, value) => Math.max(most, value), 0), 3) },
      latencyIncludesWrite: false,
      latencyWithWriteMs: figures(latency.pacedWithWrite),
      writeMs: figures(writes.filter((entry) => entry.phase === "paced").map((entry) => entry.committedAt - entry.startedAt)),
      burstLatencyMs: figures(latency.burst),
      changes: { paced, burst, warmUp: WARM_UP_WRITES },
      pacedIntervalMs: round(meanInterval(writes.filter((entry) => entry.phase === "paced")), 3),
      deliveriesPerSecond: changesPerSecond * settings.subscribers,
      delivery: checkDelivery(writes, received),
      peakRssMB: round(process.resourceUsage().maxRSS / 1024, 1),
      timedOut,
      config: {
        store: "sqlite",
        pollChangesMs: 0,
        durability: settings.durability,
        intervalMs: settings.intervalMs,
        batchSize: settings.batchSize,
        timeLimitMs: settings.timeLimitMs,
        version: options.version,
        commit: options.commit,
      },
    };
  } finally {
    for (const close of closers) close();
    await Promise.allSettled(consumers);
    for (const memory of memories) await memory.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

function meanInterval(writes: readonly Write[]): number {
  return writes.length < 2 ? 0 : (writes.at(-1)!.startedAt - writes[0]!.startedAt) / (writes.length - 1);
}

function eventText(index: number): string {
  return `Change ${index}: the planner agent moved task ${index % 97} to review and noted that the build on branch feature-${index % 13} passed.`;
}

/** Times the store's commit notices. Registered before any subscription, so it hears each commit before them. */
function watchCommits(store: MemoryStore): { reset: () => void; first: () => number | undefined; stop: () => void } {
  let first: number | undefined;
  const stop = store.watchChanges(TENANT, () => {
    first ??= performance.now();
  });
  return {
    reset: () => (first = undefined),
    first: () => first,
    stop,
  };
}

interface Arrivals {
  add: (subscriber: number) => void;
  /** A subscription failed: the wait under way, and every later one, fails with its error. */
  fail: (error: unknown) => void;
  waitFor: (count: number, deadline: number) => Promise<void>;
}

/** How many changes each subscriber has received, and a wait until all have received a number of them. */
function countArrivals(subscribers: number): Arrivals {
  const counts = new Array<number>(subscribers).fill(0);
  let waiting: { count: number; resolve: () => void; reject: (error: unknown) => void } | null = null;
  let failure: { error: unknown } | null = null;
  const done = (count: number): boolean => counts.every((received) => received >= count);
  return {
    add: (subscriber) => {
      counts[subscriber] = counts[subscriber]! + 1;
      if (waiting && done(waiting.count)) waiting.resolve();
    },
    fail: (error) => {
      failure ??= { error };
      waiting?.reject(error);
    },
    waitFor: async (count, deadline) => {
      if (failure) throw failure.error;
      if (done(count)) return;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          new Promise<void>((resolve, reject) => (waiting = { count, resolve, reject })),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              const least = Math.min(...counts);
              reject(new Error(`The change feed fell behind: a subscriber had received ${formatCount(least)} of ${formatCount(count)} changes when the time limit ran out. Raise --time-limit or write fewer changes.`));
            }, Math.max(0, deadline - performance.now()));
          }),
        ]);
      } finally {
        clearTimeout(timer);
        waiting = null;
      }
    },
  };
}

/** Delivery times minus commit (and call start) times, per change and subscriber; warm-up writes left out. */
function measureLatency(writes: readonly Write[], received: readonly Received[]): { paced: number[]; pacedWithWrite: number[]; burst: number[] } {
  const byMemory = new Map<string, Write>();
  for (const entry of writes) for (const id of entry.memoryIds) byMemory.set(id, entry);
  const latency = { paced: [] as number[], pacedWithWrite: [] as number[], burst: [] as number[] };
  for (const log of received) {
    log.memoryId.forEach((id, index) => {
      const entry = id === null ? undefined : byMemory.get(id);
      const at = log.at[index]!;
      if (entry?.phase === "paced") {
        latency.paced.push(at - entry.committedAt);
        latency.pacedWithWrite.push(at - entry.startedAt);
      } else if (entry?.phase === "burst") {
        latency.burst.push(at - entry.committedAt);
      }
    });
  }
  return latency;
}

function checkDelivery(writes: readonly Write[], received: readonly Received[]): FeedBenchReport["delivery"] {
  const expected = writes.flatMap((entry) => entry.memoryIds);
  const counts = { expected: expected.length, missing: 0, duplicated: 0, outOfOrder: 0, withoutRecord: 0 };
  for (const log of received) {
    const seen = new Set<string | null>();
    for (const id of log.memoryId) {
      if (seen.has(id)) counts.duplicated += 1;
      seen.add(id);
    }
    counts.missing += expected.filter((id) => !seen.has(id)).length;
    counts.outOfOrder += log.seq.filter((seq, index) => index > 0 && seq <= log.seq[index - 1]!).length;
    counts.withoutRecord += log.withoutRecord;
  }
  return counts;
}

export function formatFeedReport(report: FeedBenchReport): string {
  const { config, delivery } = report;
  const figures = (label: string, value: { p50: number; p99: number }): string => `${label.padEnd(46)}${value.p50.toFixed(3).padStart(9)}${value.p99.toFixed(3).padStart(9)}`;
  const problems = delivery.missing + delivery.duplicated + delivery.outOfOrder + delivery.withoutRecord;
  return [
    `change feed: ${report.subscribers} subscribers, one writer, in process on SQLite (durability ${config.durability})`,
    `${formatCount(report.changes.paced)} paced writes, one change each (every ${report.pacedIntervalMs.toFixed(2)} ms on average; target ${config.intervalMs} ms), then ${formatCount(report.changes.burst)} changes in batches of ${config.batchSize}`,
    "",
    `${"latency, ms (one sample per change and subscriber)".padEnd(46)}${"p50".padStart(9)}${"p99".padStart(9)}`,
    figures("commit → subscriber", report.latencyMs),
    figures("ingest() called → subscriber (incl. write)", report.latencyWithWriteMs),
    figures("ingest() called → commit (the write)", report.writeMs),
    figures("commit → subscriber, batches back to back", report.burstLatencyMs),
    `max commit → subscriber: ${report.latencyMs.max.toFixed(3)} ms`,
    "",
    `throughput: ${formatCount(report.changesPerSecond)} changes/s committed and delivered to every subscriber (${formatCount(report.deliveriesPerSecond)} deliveries/s)`,
    problems === 0
      ? `delivery: every subscriber received all ${formatCount(delivery.expected)} changes once, in order`
      : `delivery PROBLEMS over ${formatCount(delivery.expected)} changes: ${delivery.missing} missing, ${delivery.duplicated} duplicated, ${delivery.outOfOrder} out of order, ${delivery.withoutRecord} without a record`,
    `peak RSS ${report.peakRssMB} MB${report.timedOut ? `; stopped writing at the time limit (${formatCount(config.timeLimitMs / 1000)} s)` : ""}`,
  ].join("\n");
}
