import { Argument, InvalidArgumentError, type Command } from "commander";
import { MemoryError } from "../../domain/memory-error.js";
import { JOB_STATUSES, type JobRecord, type JobStatus } from "../../domain/types.js";
import type { Memory } from "../../memory.js";
import { counted } from "../format-figures.js";
import { formatJob, formatJobList } from "../format-jobs.js";
import { integerOption } from "../integer-option.js";
import { LLM_EXAMPLE } from "../llm-from-environment.js";
import { maxAttemptsOption } from "../max-attempts-option.js";
import { openMemory } from "../open-memory.js";
import { formatJobRun, runJobs } from "../run-jobs.js";

interface ListFlags {
  status: JobStatus[];
  limit: number;
  json?: boolean;
}

/** Job ids are SQLite row ids; no database gets near this many jobs. */
const MAX_JOB_ID = 1_000_000_000_000;
const parseJobId = integerOption("A job id", { min: 1, max: MAX_JOB_ID });

/** `mnemo jobs [list|run|replay|show]`: the queue of extraction jobs that ingest fills. */
export function registerJobsCommand(program: Command): void {
  const jobs = program
    .command("jobs")
    .description("List, run, replay and show the extraction jobs that ingest queues")
    .addHelpText(
      "after",
      `
Every new event is queued for extraction: a job reads a batch of turns and writes the facts,
preferences, procedures and events it finds as memories (with their source events), updating older
ones they replace. mnemo ingest runs the jobs right after storing the events (unless --no-extract).
A job that fails is kept with its error and the model's last reply, and retried by the next run after
a delay (2 s, then 8 s, 32 s…); after --max-attempts tries (default 4) it is dead until replayed.

Environment (extraction uses a language model when MNEMO_LLM_BASE_URL is set, heuristics otherwise):
  MNEMO_LLM_BASE_URL  the root URL of an OpenAI-compatible chat completions API (requests go to <url>/chat/completions)
  MNEMO_LLM_MODEL     the chat model, e.g. qwen2.5:7b (Ollama) or gpt-4o-mini (OpenAI)
  MNEMO_LLM_API_KEY   sent as a bearer token; local servers usually need none
Example (Ollama):
  ${LLM_EXAMPLE} mnemo jobs run`,
    );

  jobs
    .command("list", { isDefault: true })
    .description("List jobs, newest first (the default subcommand)")
    .option("--status <status>", `only jobs with this status (${JOB_STATUSES.join(", ")}); repeat for several`, collectStatus, [])
    .option("--limit <n>", "at most this many jobs", integerOption("--limit", { min: 1, max: 10_000 }), 20)
    .option("--json", "print the jobs as JSON")
    .action(async (flags: ListFlags, command: Command) => {
      await withMemory(command, {}, async (memory) => {
        const list = await memory.jobs.list({ ...(flags.status.length === 0 ? {} : { status: flags.status }), limit: flags.limit });
        console.log(flags.json ? JSON.stringify(list, null, 2) : formatJobList(list, { limit: flags.limit, statuses: flags.status }));
      });
    });

  jobs
    .command("run")
    .description("Run every job that is ready, and say what they extracted")
    .addOption(maxAttemptsOption())
    .action(async (flags: { maxAttempts?: number }, command: Command) => {
      await withMemory(command, flags, async (memory, llm) => console.log(formatJobRun(await runJobs(memory, llm))));
    });

  jobs
    .command("replay")
    .description("Give dead jobs fresh attempts (the ones named, else every dead job), then run them")
    .addArgument(new Argument("[ids...]", "ids of dead jobs, as mnemo jobs lists them").argParser(collectJobId))
    .addOption(maxAttemptsOption())
    .action(async (ids: number[] | undefined, flags: { maxAttempts?: number }, command: Command) => {
      await withMemory(command, flags, async (memory, llm) => {
        const named = [...new Set(ids ?? [])];
        for (const id of named) requireDead(await findJob(memory, id), id);
        const replayed = await memory.jobs.replay(named.length === 0 ? undefined : named);
        if (replayed === 0) {
          console.log("No dead jobs to replay.");
          return;
        }
        console.log(`Replayed ${counted(replayed, "dead job")}.`);
        console.log(formatJobRun(await runJobs(memory, llm)));
      });
    });

  jobs
    .command("show")
    .description("Print one job in full: its events, usage, last error and the model's last reply")
    .argument("<id>", "the job's id, as mnemo jobs lists it", parseJobId)
    .option("--json", "print the job as JSON")
    .action(async (id: number, flags: { json?: boolean }, command: Command) => {
      await withMemory(command, {}, async (memory) => {
        const job = await findJob(memory, id);
        if (job === undefined) throw notFound(id);
        console.log(flags.json ? JSON.stringify(job, null, 2) : formatJob(job));
      });
    });
}

/** Opens the database (which must exist), runs `work`, and closes it. */
async function withMemory(command: Command, flags: { maxAttempts?: number }, work: (memory: Memory, llm: string | undefined) => Promise<void>): Promise<void> {
  const { memory, llm } = await openMemory(command, { mustExist: true, maxAttempts: flags.maxAttempts });
  try {
    await work(memory, llm?.name);
  } finally {
    await memory.close();
  }
}

/** The job with this id: the newest one below id + 1, if it is that one. */
async function findJob(memory: Memory, id: number): Promise<JobRecord | undefined> {
  const [job] = await memory.jobs.list({ before: id + 1, limit: 1 });
  return job?.id === id ? job : undefined;
}

function requireDead(job: JobRecord | undefined, id: number): void {
  if (job === undefined) throw notFound(id, " Nothing was replayed.");
  if (job.status !== "dead") {
    throw new MemoryError("invalid_input", `Job ${id} is ${job.status}, not dead: only dead jobs are replayed (mnemo jobs --status dead lists them). Nothing was replayed.`, {
      details: { jobId: id, status: job.status },
    });
  }
}

function notFound(id: number, outcome = ""): MemoryError {
  return new MemoryError("not_found", `No job ${id} in this database: mnemo jobs lists them.${outcome}`, { details: { jobId: id } });
}

function collectStatus(value: string, previous: JobStatus[]): JobStatus[] {
  if (!JOB_STATUSES.includes(value as JobStatus)) throw new InvalidArgumentError(`--status must be one of ${JOB_STATUSES.join(", ")}.`);
  return [...previous, value as JobStatus];
}

function collectJobId(value: string, previous: number[] | undefined): number[] {
  return [...(previous ?? []), parseJobId(value)];
}
