import type { Command } from "commander";
import { MemoryError } from "../../domain/memory-error.js";
import { MEMORY_KINDS, type ChangeEvent, type MemoryKind, type SubscribeOptions } from "../../domain/types.js";
import type { Memory } from "../../memory.js";
import { integerOption } from "../integer-option.js";
import { openMemory } from "../open-memory.js";
import { collect, collectKind } from "../collect-flags.js";

interface FeedFlags {
  since?: number;
  space?: string[];
  kind?: MemoryKind[];
  follow?: boolean;
}

/**
 * Without --follow: how long the feed may wait for the next change before checking whether anything
 * visible is left to read (the last change may have left the principal's view meanwhile).
 */
const IDLE_CHECK_MS = 500;

/** `mnemo feed`: the changes you may see, one JSON object per line, in commit order. */
export function registerFeedCommand(program: Command): void {
  program
    .command("feed")
    .description("Print the changes you may see, in commit order, as JSON lines (NDJSON); --follow waits for new ones")
    .option("--since <seq>", "only the changes after this sequence number (default: 0, or only new ones with --follow)", integerOption("--since", { min: 0, max: Number.MAX_SAFE_INTEGER }))
    .option("--space <name>", "only changes in this space; repeat for several (default: every space you may read)", collect)
    .option("--kind <kind>", `only changes to memories of this kind (${MEMORY_KINDS.join(", ")}; leaves space changes out); repeat for several`, collectKind)
    .option("--follow", "keep printing new changes as they are committed, by any process, until interrupted (Ctrl-C or SIGTERM)")
    .addHelpText(
      "after",
      `
Each line is one change: {"seq", "operation", "space", "actor", "at", "memoryId", "version", "kind", "text"}.
operation is memory.created, memory.updated, memory.admitted, memory.rejected, memory.forgotten,
space.created or space.updated; text is the memory's text as stored now (null for space changes, empty
once forgotten). A principal who may not see a held memory gets memory.admitted once it is admitted.
Resume where you stopped with --since <the last seq you handled>.

Examples:
  mnemo --principal critic feed --space team --kind fact
  mnemo --principal lead feed --follow | jq -r .text`,
    )
    .action(async (flags: FeedFlags, command: Command) => {
      const { memory } = await openMemory(command, { mustExist: true });
      try {
        for (const space of flags.space ?? []) await requireReadable(memory, space);
        if (flags.follow) {
          await follow(memory, {
            ...(flags.since === undefined ? {} : { since: flags.since }),
            ...(flags.space === undefined ? {} : { spaces: flags.space }),
            ...(flags.kind === undefined ? {} : { kinds: flags.kind }),
          });
        } else {
          await printUntilCaughtUp(memory, flags.since ?? 0, matcher(flags));
        }
      } finally {
        await memory.close();
      }
    });
}

/** Prints every change, live, until SIGINT or SIGTERM ends the subscription. */
async function follow(memory: Memory, options: SubscribeOptions): Promise<void> {
  const feed = memory.subscribe(options);
  const stop = (): void => feed.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    // The subscription's starting point is fixed by now: a change committed after this line is printed.
    console.error(`Following the changes${options.since === undefined ? " from now on" : ` after #${options.since}`}; Ctrl-C stops.`);
    for await (const change of feed) print(change);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    feed.close();
  }
}

/**
 * Prints the changes after `since` up to the last one visible when it started, then returns. It reads
 * every visible change and filters here: the change that marks the end may not match the filters.
 */
async function printUntilCaughtUp(memory: Memory, since: number, keep: (change: ChangeEvent) => boolean): Promise<void> {
  const last = (await memory.stats()).lastChangeSeq;
  if (last <= since) return;
  const feed = memory.subscribe({ since });
  const changes = feed[Symbol.asyncIterator]();
  try {
    let next = changes.next();
    for (;;) {
      // A read still pending when the idle check ends the feed is settled by close(), and never awaited.
      next.catch(() => {});
      const result = await within(next, IDLE_CHECK_MS);
      if (result === undefined) {
        if ((await memory.stats()).lastChangeSeq <= feed.cursor) return;
        continue;
      }
      if (result.done) return;
      if (keep(result.value)) print(result.value);
      if (result.value.seq >= last) return;
      next = changes.next();
    }
  } finally {
    feed.close();
  }
}

/** A space you may not read is an error (space_not_found), not a feed that stays empty. */
async function requireReadable(memory: Memory, space: string): Promise<void> {
  try {
    await memory.spaces.get(space);
  } catch (error) {
    // The library names the argument `name`; the user typed `--space`.
    if (error instanceof MemoryError && error.code === "invalid_input" && error.message.startsWith("name: ")) {
      throw new MemoryError(error.code, `--space: ${error.message.slice("name: ".length)}`, { details: { ...error.details, field: "--space" }, cause: error });
    }
    throw error;
  }
}

/** The promise's result, or undefined if it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The filters of SubscribeOptions, applied to changes read without them. */
function matcher(flags: FeedFlags): (change: ChangeEvent) => boolean {
  const spaces = new Set(flags.space ?? []);
  const kinds = new Set(flags.kind ?? []);
  return (change) => (spaces.size === 0 || spaces.has(change.space)) && (kinds.size === 0 || (change.kind !== null && kinds.has(change.kind)));
}

function print(change: ChangeEvent): void {
  const { seq, operation, space, actor, at, memoryId, version, kind } = change;
  console.log(JSON.stringify({ seq, operation, space, actor, at, memoryId, version, kind, text: change.memory?.text ?? null }));
}
