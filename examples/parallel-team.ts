/**
 * Parallel teams: four agents work at once on overlapping sub-problems and share what they find through
 * a team space whose admission policy is "scored". The same backlog is run three ways, on one SQLite file
 * each: every agent alone (private notes only), sharing with scored admission, and sharing with a space
 * that admits everything. Run it with `node --import tsx examples/parallel-team.ts [seed]`.
 *
 * Work is simulated: solving a sub-problem costs its work units, each one a turn of the event loop, so
 * the agents truly interleave and a slow solve can be overtaken by another agent's finding arriving on
 * the feed. Every random choice comes from a seeded generator and the clock and ids are injected, so a
 * seed replays the same run, with two exceptions measured in wall time: feed latencies, and recall
 * exposure, which each Memory writes to the store on a one-second timer (src/share/recall-log.ts). A run
 * that takes longer than that lets the scorer see the recalls made so far, which can change verdicts.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setImmediate as nextTurn } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { createMemory, type AdmissionStatus, type ChangeEvent, type Memory, type Subscription } from "../src/index.js";
import { openSqliteStore } from "../src/store/sqlite/index.js";
import { mulberry32 } from "../src/testing/mulberry32.js";
import { BACKLOG, CHATTER, FINDING_STYLES, RESTATEMENTS, type Problem } from "./team-backlog.js";

/** Work units to read and check a finding someone shared instead of solving the sub-problem. */
const READ_COST = 1;
const MIN_COST = 3;
const MAX_COST = 12;
const START = Date.parse("2025-01-06T09:00:00Z");

export type TeamMode = "isolated" | "scored" | "always";

export interface ParallelTeamOptions {
  /** Seeds the backlog's costs, each agent's share of it, its order and the chatter. @default 1 */
  seed?: number;
  /** @default 4 */
  agents?: number;
  /** Sub-problems handed to each agent, out of the 30 of the backlog. @default 18 */
  problemsPerAgent?: number;
  /** Chance, per sub-problem, that an agent posts status chatter before starting it. @default 0.3 */
  chatterRate?: number;
  /** Chance that an agent restates a finding it has just reused. @default 0.3 */
  echoRate?: number;
  /** Admission threshold of the scored team space. @default 0.5 */
  threshold?: number;
  /** Folder for the SQLite files. @default a fresh temp folder, removed afterwards */
  directory?: string;
}

export interface AdmissionTally {
  written: number;
  admitted: number;
  rejected: number;
}

/** A write to the team space with its verdict, for the report. */
export interface TeamWrite {
  agent: string;
  type: "finding" | "chatter" | "restatement";
  problem: string;
  text: string;
  status: AdmissionStatus;
  why: string;
  /** A finding on a sub-problem that had an admitted finding before it: rejecting it is right. */
  repeat: boolean;
}

export interface AgentFeed {
  agent: string;
  /** Sequence numbers of the changes its subscription delivered, in delivery order. */
  delivered: number[];
  /** The changes of the team space it may see (admitted, or its own), by the admin's full feed. */
  expected: number[];
}

export interface TeamRun {
  mode: TeamMode;
  /** Work units spent by all agents: solving, plus reading what others found. */
  workUnits: number;
  /** Sub-problems solved by working them out. */
  solved: number;
  /** Sub-problems answered by a finding another agent shared: from the feed, or by recall. */
  reusedFromFeed: number;
  reusedFromRecall: number;
  /** Findings for a sub-problem that already had one (in any space): repeated work. */
  duplicateFindings: number;
  /** Findings on a sub-problem with no admitted finding before them, and findings that repeat one. */
  findings: { new: AdmissionTally; repeated: AdmissionTally };
  noise: { chatter: AdmissionTally; restatement: AdmissionTally };
  /** Admitted findings beyond the first admitted one of their sub-problem. */
  duplicatesAdmitted: number;
  /** Every write to the team space, in commit order. */
  writes: TeamWrite[];
  feed: {
    /** Deliveries of another agent's write, each timed from the start of the write to its arrival. */
    deliveries: number;
    medianLatencyMs: number;
    maxLatencyMs: number;
    /** Writes missing from the admin's feed (it sees every change of the space): should be 0. */
    unseenByAdmin: number;
    agents: AgentFeed[];
  };
  /** A read-only newcomer recalls each sub-problem by its title once the team is done. */
  newcomer: { problems: number; findingFirst: number; noiseTokenShare: number } | null;
  durationMs: number;
}

export interface ParallelTeamReport {
  seed: number;
  isolated: TeamRun;
  scored: TeamRun;
  always: TeamRun;
  /** 1 − work with scored sharing / work alone. */
  savings: number;
}

/**
 * Runs the scenario alone, with scored sharing and with a space that admits everything, and returns the
 * numbers of each.
 *
 * @example
 * const report = await runParallelTeam({ seed: 7 });
 * report.savings; // share of the work that sharing saved
 */
export async function runParallelTeam(options: ParallelTeamOptions = {}): Promise<ParallelTeamReport> {
  const seed = options.seed ?? 1;
  const owned = options.directory === undefined ? await mkdtemp(join(tmpdir(), "mnemo-parallel-team-")) : null;
  const directory = options.directory ?? owned!;
  try {
    const isolated = await runTeam("isolated", seed, options, join(directory, "isolated.db"));
    const scored = await runTeam("scored", seed, options, join(directory, "scored.db"));
    const always = await runTeam("always", seed, options, join(directory, "always.db"));
    return { seed, isolated, scored, always, savings: round(1 - scored.workUnits / isolated.workUnits) };
  } finally {
    if (owned) await rm(owned, { recursive: true, force: true });
  }
}

interface Agent {
  name: string;
  index: number;
  memory: Memory;
  backlog: Problem[];
  /** Drawn up front, so an agent's choices do not depend on how the others interleave with it. */
  rolls: { chatter: number; echo: number; line: number }[];
  /** Findings the feed has delivered, by sub-problem. */
  inbox: Map<string, { id: string; text: string }>;
  feed: AgentFeed;
}

async function runTeam(mode: TeamMode, seed: number, options: ParallelTeamOptions, path: string): Promise<TeamRun> {
  const started = performance.now();
  const random = mulberry32(seed);
  const problems = BACKLOG.map((problem) => ({ ...problem, cost: MIN_COST + Math.floor(random() * (MAX_COST - MIN_COST + 1)) }));
  const names = Array.from({ length: options.agents ?? 4 }, (_, index) => `agent-${index + 1}`);
  const perAgent = Math.min(options.problemsPerAgent ?? 18, problems.length);
  const chatterRate = options.chatterRate ?? 0.3;
  const echoRate = options.echoRate ?? 0.3;
  const sharing = mode !== "isolated";
  // Every write of this process is announced to subscribers at once; polling is only for other processes.
  // "normal" durability skips a disk sync per commit: the scenario measures sharing, not fsync.
  const store = await openSqliteStore({ path, durability: "normal", pollChangesMs: 0 });
  let tick = 0;
  let lastId = 0;
  const common = {
    store,
    extraction: false as const,
    clock: () => new Date(START + (tick += 1)),
    generateId: () => String((lastId += 1)).padStart(8, "0"),
  };
  const memories: Memory[] = [];
  const open = async (principal: string): Promise<Memory> => {
    const memory = await createMemory({ ...common, principal, defaultSpace: `${principal}/notes` });
    memories.push(memory);
    return memory;
  };
  try {
    const lead = await open("lead");
    const newcomer = await open("newcomer");
    if (sharing) {
      await lead.spaces.create("team", {
        type: "shared",
        members: [...names.map((principal) => ({ principal, role: "write" as const })), { principal: "newcomer", role: "read" }],
        admission: mode === "scored" ? { mode, threshold: options.threshold ?? 0.5 } : { mode },
      });
    }
    const agents: Agent[] = [];
    for (const [index, name] of names.entries()) {
      const agentRandom = mulberry32(seed * 1_000 + index + 1);
      const backlog = shuffle(problems, agentRandom).slice(0, perAgent);
      agents.push({
        name,
        index,
        memory: await open(name),
        backlog,
        rolls: backlog.map(() => ({ chatter: agentRandom(), echo: agentRandom(), line: agentRandom() })),
        inbox: new Map(),
        feed: { agent: name, delivered: [], expected: [] },
      });
    }

    const log: { memoryId: string; writtenAt: number; write: TeamWrite }[] = [];
    const post = async (agent: Agent, type: TeamWrite["type"], problem: Problem, text: string): Promise<void> => {
      const writtenAt = performance.now();
      const result = await agent.memory.ingest({ text, space: sharing ? "team" : undefined, speaker: agent.name, metadata: { type, problem: problem.id } });
      const memoryId = result.events[0]!.memoryId;
      const { admission } = await agent.memory.get(memoryId);
      log.push({ memoryId, writtenAt, write: { agent: agent.name, type, problem: problem.id, text, status: admission.status, why: admission.why, repeat: false } });
    };

    const work = { units: 0, solved: 0, fromFeed: 0, fromRecall: 0 };
    const solves = new Map<string, number>();
    const runAgent = async (agent: Agent): Promise<void> => {
      for (const [step, problem] of agent.backlog.entries()) {
        const roll = agent.rolls[step]!;
        if (sharing && roll.chatter < chatterRate) await post(agent, "chatter", problem, pick(CHATTER, roll.line)(problem));
        await nextTurn();
        const known = sharing ? await lookUp(agent, problem) : undefined;
        if (known) {
          work.units += READ_COST;
          if (known.via === "feed") work.fromFeed += 1;
          else work.fromRecall += 1;
          await agent.memory.feedback(known.id, { used: true });
          if (roll.echo < echoRate) await post(agent, "restatement", problem, pick(RESTATEMENTS, roll.line)(problem, known.text));
          continue;
        }
        for (let unit = 0; unit < problem.cost; unit += 1) {
          work.units += 1;
          await nextTurn();
        }
        work.solved += 1;
        solves.set(problem.id, (solves.get(problem.id) ?? 0) + 1);
        await post(agent, "finding", problem, FINDING_STYLES[agent.index % FINDING_STYLES.length]!(problem));
      }
    };

    // Each agent keeps the findings its feed delivers; the lead, an admin, sees every change of the space.
    const adminFeed: ChangeEvent[] = [];
    const received = new Map<string, number>();
    const follow = async (subscription: Subscription, onChange: (change: ChangeEvent) => void): Promise<void> => {
      for await (const change of subscription) {
        if (change.memory?.metadata["type"] === "end") return;
        onChange(change);
      }
    };
    const subscriptions = sharing ? [lead, ...agents.map((agent) => agent.memory)].map((memory) => memory.subscribe({ spaces: ["team"] })) : [];
    const followers = subscriptions.map((subscription, index) => {
      const agent = agents[index - 1];
      if (!agent) return follow(subscription, (change) => adminFeed.push(change));
      return follow(subscription, (change) => {
        agent.feed.delivered.push(change.seq);
        if (!change.memory || change.actor === agent.name) return;
        received.set(`${change.memory.id} ${agent.name}`, performance.now());
        const problem = String(change.memory.metadata["problem"]);
        if (change.memory.metadata["type"] === "finding" && change.memory.admission.status === "admitted" && !agent.inbox.has(problem)) {
          agent.inbox.set(problem, { id: change.memory.id, text: change.memory.text });
        }
      });
    });
    await Promise.all(agents.map(runAgent));
    if (sharing) {
      // The lead's note (an admin's: always admitted) ends every feed; a feed that never gets there is cut
      // after 10 s and shows up as undelivered changes.
      await lead.ingest({ text: "Session closed: every sub-problem is handled.", space: "team", metadata: { type: "end" } });
      const deadline = setTimeout(() => subscriptions.forEach((subscription) => subscription.close()), 10_000);
      await Promise.all(followers);
      clearTimeout(deadline);
    }

    // The log is in the order writers got their answers back; the admin's feed has the commit order.
    const seqOf = new Map(adminFeed.map((change) => [change.memoryId, change.seq]));
    log.sort((a, b) => (seqOf.get(a.memoryId) ?? 0) - (seqOf.get(b.memoryId) ?? 0));
    for (const agent of agents) {
      agent.feed.expected = adminFeed.filter((change) => change.memory?.admission.status === "admitted" || change.actor === agent.name).map((change) => change.seq);
    }
    const latencies = log
      .flatMap((entry) => agents.map((agent) => (received.get(`${entry.memoryId} ${agent.name}`) ?? Number.NaN) - entry.writtenAt))
      .filter((latency) => !Number.isNaN(latency))
      .sort((a, b) => a - b);
    return {
      mode,
      workUnits: work.units,
      solved: work.solved,
      reusedFromFeed: work.fromFeed,
      reusedFromRecall: work.fromRecall,
      duplicateFindings: [...solves.values()].reduce((sum, count) => sum + count - 1, 0),
      ...tally(log.map((entry) => entry.write)),
      writes: log.map((entry) => entry.write),
      feed: {
        deliveries: latencies.length,
        unseenByAdmin: sharing ? log.filter((entry) => !seqOf.has(entry.memoryId)).length : 0,
        medianLatencyMs: round(latencies[Math.floor(latencies.length / 2)] ?? 0),
        maxLatencyMs: round(latencies.at(-1) ?? 0),
        agents: agents.map((agent) => agent.feed),
      },
      newcomer: sharing ? await checkNewcomer(newcomer, problems) : null,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    for (const memory of memories) await memory.close();
    await store.close();
  }
}

/** The finding an agent already has for a sub-problem: from its feed, else by recalling the team space. */
async function lookUp(agent: Agent, problem: Problem): Promise<{ id: string; text: string; via: "feed" | "recall" } | undefined> {
  const delivered = agent.inbox.get(problem.id);
  if (delivered) return { ...delivered, via: "feed" };
  const { items } = await agent.memory.recall(problem.title, { spaces: ["team"], budgetTokens: 200, limit: 3 });
  const found = items.find((item) => item.memory.metadata["type"] === "finding" && item.memory.metadata["problem"] === problem.id && item.memory.author !== agent.name);
  return found ? { id: found.memory.id, text: found.memory.text, via: "recall" } : undefined;
}

/** Counts verdicts by kind of write, and marks the findings that repeat an admitted one (writes in commit order). */
function tally(writes: readonly TeamWrite[]): Pick<TeamRun, "findings" | "noise" | "duplicatesAdmitted"> {
  const empty = (): AdmissionTally => ({ written: 0, admitted: 0, rejected: 0 });
  const result = { findings: { new: empty(), repeated: empty() }, noise: { chatter: empty(), restatement: empty() }, duplicatesAdmitted: 0 };
  const answered = new Set<string>();
  for (const write of writes) {
    write.repeat = write.type === "finding" && answered.has(write.problem);
    const counts = write.type === "finding" ? (write.repeat ? result.findings.repeated : result.findings.new) : result.noise[write.type];
    counts.written += 1;
    if (write.status === "admitted") counts.admitted += 1;
    if (write.status === "rejected") counts.rejected += 1;
    if (write.type !== "finding" || write.status !== "admitted") continue;
    if (write.repeat) result.duplicatesAdmitted += 1;
    answered.add(write.problem);
  }
  return result;
}

async function checkNewcomer(newcomer: Memory, problems: readonly Problem[]): Promise<NonNullable<TeamRun["newcomer"]>> {
  let findingFirst = 0;
  let noiseTokens = 0;
  let tokens = 0;
  for (const problem of problems) {
    const { items } = await newcomer.recall(problem.title, { spaces: ["team"], budgetTokens: 150 });
    const top = items[0]?.memory.metadata;
    if (top?.["type"] === "finding" && top["problem"] === problem.id) findingFirst += 1;
    for (const item of items) {
      tokens += item.tokens;
      if (item.memory.metadata["type"] !== "finding") noiseTokens += item.tokens;
    }
  }
  return { problems: problems.length, findingFirst, noiseTokenShare: tokens === 0 ? 0 : round(noiseTokens / tokens) };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

function pick<T>(items: readonly T[], roll: number): T {
  return items[Math.floor(roll * items.length)]!;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The report the example prints: the three runs side by side, then examples of the scorer's verdicts. */
export function formatParallelTeam(report: ParallelTeamReport): string {
  const runs = [report.isolated, report.scored, report.always];
  const row = (label: string, value: (run: TeamRun) => string | number, shared = true): string =>
    `${label.padEnd(34)}${runs.map((run) => (shared && run.mode === "isolated" ? "-" : String(value(run))).padStart(12)).join("")}`;
  const ratio = (tally: AdmissionTally): string => `${tally.admitted}/${tally.written}`;
  const noise = (run: TeamRun): AdmissionTally => ({
    written: run.noise.chatter.written + run.noise.restatement.written,
    admitted: run.noise.chatter.admitted + run.noise.restatement.admitted,
    rejected: run.noise.chatter.rejected + run.noise.restatement.rejected,
  });
  const scored = report.scored.writes;
  const lines = [
    `Parallel team, seed ${report.seed}: ${report.scored.feed.agents.length} agents, ${BACKLOG.length} sub-problems`,
    row("", (run) => (run.mode === "isolated" ? "alone" : run.mode), false),
    row("work units", (run) => run.workUnits, false),
    row("sub-problems solved", (run) => run.solved, false),
    row("reused from the feed / by recall", (run) => `${run.reusedFromFeed} / ${run.reusedFromRecall}`),
    row("duplicate findings (solved again)", (run) => run.duplicateFindings, false),
    row("new findings admitted", (run) => ratio(run.findings.new)),
    row("repeated findings admitted", (run) => ratio(run.findings.repeated)),
    row("chatter admitted", (run) => ratio(run.noise.chatter)),
    row("restatements admitted", (run) => ratio(run.noise.restatement)),
    row("noise kept out", (run) => percent(noise(run).rejected / noise(run).written)),
    row("newcomer: finding ranked first", (run) => `${run.newcomer?.findingFirst}/${run.newcomer?.problems}`),
    row("newcomer: noise share of context", (run) => percent(run.newcomer?.noiseTokenShare ?? 0)),
    row("feed latency median / max (ms)", (run) => `${run.feed.medianLatencyMs.toFixed(1)} / ${run.feed.maxLatencyMs.toFixed(0)}`),
    row("run time (ms)", (run) => run.durationMs, false),
    "",
    `Sharing with scored admission saved ${percent(report.savings)} of the work (${report.isolated.workUnits} → ${report.scored.workUnits} units)` +
      ` and avoided ${report.isolated.duplicateFindings - report.scored.duplicateFindings} of ${report.isolated.duplicateFindings} duplicate findings.`,
  ];
  const examples = (title: string, writes: TeamWrite[]): void => {
    lines.push("", `${title}: ${writes.length}`);
    for (const write of writes.slice(0, 4)) lines.push(`  ${write.agent}: "${write.text}"`, `    ${write.why}`);
  };
  examples("New findings the scorer rejected", scored.filter((write) => write.type === "finding" && !write.repeat && write.status !== "admitted"));
  examples("Repeated findings the scorer admitted", scored.filter((write) => write.repeat && write.status === "admitted"));
  examples("Noise the scorer admitted", scored.filter((write) => write.type !== "finding" && write.status === "admitted"));
  examples("Noise the scorer rejected", scored.filter((write) => write.type !== "finding" && write.status !== "admitted"));
  return lines.join("\n");
}

function percent(share: number): string {
  return Number.isFinite(share) ? `${Math.round(share * 100)}%` : "n/a";
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seed = process.argv[2] === undefined ? 1 : Number(process.argv[2]);
  process.stdout.write(`${formatParallelTeam(await runParallelTeam({ seed }))}\n`);
}
