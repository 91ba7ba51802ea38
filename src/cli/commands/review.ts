import { InvalidArgumentError, type Command } from "commander";
import { MemoryError } from "../../domain/memory-error.js";
import type { MemoryRecord } from "../../domain/types.js";
import type { Memory } from "../../memory.js";
import { counted } from "../format-figures.js";
import { integerOption } from "../integer-option.js";
import { openMemory } from "../open-memory.js";
import { collect, shortened } from "../collect-flags.js";

interface ListFlags {
  space?: string[];
  limit: number;
  json?: boolean;
}

/** How much of a memory's text (and of its why) the list shows, on one line. */
const TEXT_WIDTH = 60;
const WHY_WIDTH = 60;

/** As long as the library records a why. */
const MAX_WHY_LENGTH = 1_000;

/** `mnemo review [list|approve|reject]`: an admin's decisions on the writes that review spaces hold. */
export function registerReviewCommand(program: Command): void {
  const review = program
    .command("review")
    .description("Admins: list the memories held for review, and approve or reject them")
    .addHelpText(
      "after",
      `
In a space whose admission is review (mnemo spaces admission <space> review), a write from a
non-admin is held (pending) until an admin of the space approves it; until then only its author and
the space's admins see it. A rejected memory is kept out: its author and the admins still see it.

Examples:
  mnemo --principal lead review
  mnemo --principal lead review approve mem_01J… --why "checked against the logs"
  mnemo --principal lead review reject mem_01J… --why "duplicate of an earlier note"`,
    );

  review
    .command("list", { isDefault: true })
    .description("List the pending memories you may decide, newest first (the default subcommand)")
    .option("--space <name>", "only this space, which you administer; repeat for several (default: every space you administer)", collect)
    .option("--limit <n>", "at most this many memories", integerOption("--limit", { min: 1, max: 1_000 }), 20)
    .option("--json", "print the memories as JSON")
    .action(async (flags: ListFlags, command: Command) => {
      await withMemory(command, async (memory, principal) => {
        const spaces = flags.space === undefined ? await administered(memory) : await requireAdmin(memory, flags.space);
        if (spaces.length === 0) {
          console.log(flags.json ? "[]" : `Nothing to review: you (${principal}) administer no space.`);
          return;
        }
        const { items } = await memory.list({ spaces, admission: ["pending"], limit: flags.limit });
        console.log(flags.json ? JSON.stringify(items, null, 2) : formatPending(items, { spaces, limit: flags.limit }));
      });
    });

  const decisions: [verb: "approve" | "reject", effect: string][] = [
    ["approve", "admit it: every reader of its space sees it from now on"],
    ["reject", "keep it out of its space (its author and the space's admins still see it)"],
  ];
  for (const [verb, effect] of decisions) {
    review
      .command(verb)
      .description(`Admins: ${effect}`)
      .argument("<id>", "the memory's id, as mnemo review lists it")
      .option("--why <text>", "the reason, recorded with the decision", parseWhy)
      .action(async (id: string, flags: { why?: string }, command: Command) => {
        await withMemory(command, async (memory) => {
          const options = flags.why === undefined ? {} : { why: flags.why };
          const record = await (verb === "approve" ? memory.review.approve(id, options) : memory.review.reject(id, options));
          console.log(
            verb === "approve"
              ? `Approved ${record.id} in space ${record.space}: every reader sees it now.`
              : `Rejected ${record.id} in space ${record.space}: it stays out (its author and the space's admins still see it).`,
          );
          console.log(`  why  ${record.admission.why}`);
        });
      });
  }
}

/** Opens the database (which must exist), runs `work` as the command's principal, and closes it. */
async function withMemory(command: Command, work: (memory: Memory, principal: string) => Promise<void>): Promise<void> {
  const { memory, principal } = await openMemory(command, { mustExist: true });
  try {
    await work(memory, principal);
  } finally {
    await memory.close();
  }
}

async function administered(memory: Memory): Promise<string[]> {
  return (await memory.spaces.list()).filter((space) => space.role === "admin").map((space) => space.name);
}

/** The named spaces, each one the caller administers: only admins decide, so listing others' would show nothing to do. */
async function requireAdmin(memory: Memory, names: readonly string[]): Promise<string[]> {
  for (const name of names) {
    const space = await memory.spaces.get(name);
    if (space.role !== "admin") {
      throw new MemoryError("forbidden", `Your role in space ${name} is "${space.role}"; to review there you need "admin". Ask an admin of the space for it.`, {
        details: { space: name, role: space.role, needed: "admin" },
      });
    }
  }
  return [...new Set(names)];
}

function formatPending(items: readonly MemoryRecord[], query: { spaces: readonly string[]; limit: number }): string {
  if (items.length === 0) return `No memory is waiting for review in ${query.spaces.join(", ")}.`;
  const header = ["id", "space", "author", "text", "why"];
  const rows = items.map((item) => [item.id, item.space, item.author, shortened(item.text, TEXT_WIDTH), shortened(item.admission.why, WHY_WIDTH)]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
  const lines = [line(header), ...rows.map(line)];
  if (items.length === query.limit) lines.push(`(the ${counted(query.limit, "newest one", "newest ones")}; --limit for more)`);
  lines.push("Decide with mnemo review approve <id> or mnemo review reject <id> (--why to record a reason).");
  return lines.join("\n");
}

function parseWhy(value: string): string {
  if (value.trim() === "" || value.length > MAX_WHY_LENGTH) throw new InvalidArgumentError(`--why must be a reason of 1 to ${MAX_WHY_LENGTH.toLocaleString("en-US")} characters.`);
  return value;
}
