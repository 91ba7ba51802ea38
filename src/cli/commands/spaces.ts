import { Argument, InvalidArgumentError, type Command } from "commander";
import { MemoryError } from "../../domain/memory-error.js";
import {
  ADMISSION_MODES,
  SPACE_ROLES,
  SPACE_TYPES,
  type AdmissionMode,
  type AdmissionPolicy,
  type CreateSpaceOptions,
  type SpaceDetails,
  type SpaceMember,
  type SpaceRecord,
  type SpaceRole,
  type SpaceType,
} from "../../domain/spaces.js";
import type { Memory } from "../../memory.js";
import { counted, formatInstant } from "../format-figures.js";
import { openMemory } from "../open-memory.js";

interface CreateFlags {
  type: SpaceType;
  member?: SpaceMember[];
  everyone?: "read" | "write";
  admission?: AdmissionMode;
  threshold?: number;
}

/** The library's names for the arguments of spaces.create, setMember and setAdmission, and the flags the user typed. */
const FLAG_NAMES: Record<string, string> = {
  name: "<name>",
  space: "<space>",
  principal: "<principal>",
  role: "<role>",
  "options.type": "--type",
  "options.everyone": "--everyone",
  "options.members": "--member",
  "options.members.principal": "--member",
  "options.members.role": "--member",
  "options.admission": "--admission",
  "options.admission.mode": "--admission",
  "options.admission.threshold": "--threshold",
  "policy.mode": "<mode>",
  "policy.threshold": "--threshold",
};

/** `mnemo spaces [list|create|show|add-member|remove-member|admission]`: the spaces principals share. */
export function registerSpacesCommand(program: Command): void {
  const spaces = program
    .command("spaces")
    .description("List, create and manage the spaces that principals (agents) share, and their members")
    .addHelpText(
      "after",
      `
Every command acts as one principal (--principal, or $MNEMO_PRINCIPAL; default "default") of one tenant
(--tenant, or $MNEMO_TENANT). A space is private (its creator's only), shared (its members') or global
(every principal reads it; writes too with --everyone write). Roles: read; write (also reads); admin
(also manages members, the admission policy and the review queue). The creator is an admin.

Admission decides how a write from a non-admin enters the space: always (at once), never (kept out;
its author and the admins see it), review (held until an admin approves it: mnemo review), scored
(admitted when its novelty and learned usefulness reach --threshold, 0..1).

Examples:
  mnemo --principal lead spaces create team --member scout=write --member critic=read --admission review
  mnemo --principal lead spaces add-member team planner admin
  mnemo --principal scout spaces`,
    );

  spaces
    .command("list", { isDefault: true })
    .description("List the spaces you may read, with your role in each (the default subcommand)")
    .option("--json", "print the spaces as JSON")
    .action(async (flags: { json?: boolean }, command: Command) => {
      await withMemory(command, { mustExist: true }, async (memory, principal) => {
        const list = await memory.spaces.list();
        console.log(flags.json ? JSON.stringify(list, null, 2) : formatSpaceList(list, principal));
      });
    });

  spaces
    .command("create")
    .description("Create a space with you as its admin (nothing changes if it exists and you may read it)")
    .argument("<name>", "letters, digits and . _ : @ / - (starting with a letter or digit)")
    .option("--type <type>", `${SPACE_TYPES.join(", ")}`, oneOf("--type", SPACE_TYPES), "shared")
    .option("--member <principal=role>", `another member and its role (${SPACE_ROLES.join(", ")}); repeat for several`, collectMember)
    .option("--everyone <role>", "global spaces: what every principal may do, read or write (default: write)", oneOf("--everyone", ["read", "write"] as const))
    .option("--admission <mode>", `how writes from non-admins enter: ${ADMISSION_MODES.join(", ")} (default: always)`, oneOf("--admission", ADMISSION_MODES))
    .option("--threshold <n>", "--admission scored: the least score admitted, from 0 to 1 (default: 0.5)", parseThreshold)
    .action(async (name: string, flags: CreateFlags, command: Command) => {
      if (flags.everyone !== undefined && flags.type !== "global") command.error(`error: --everyone applies to --type global only; this space is ${flags.type}.`);
      if (flags.member !== undefined && flags.type === "private") command.error("error: a private space has one member, its creator: drop --member, or use --type shared for a team.");
      if (flags.threshold !== undefined && flags.admission !== "scored") command.error("error: --threshold applies to --admission scored only.");
      const options: CreateSpaceOptions = {
        type: flags.type,
        ...(flags.member === undefined ? {} : { members: flags.member }),
        ...(flags.everyone === undefined ? {} : { everyone: flags.everyone }),
        ...(flags.admission === undefined ? {} : { admission: { mode: flags.admission, ...(flags.threshold === undefined ? {} : { threshold: flags.threshold }) } }),
      };
      await withMemory(command, { mustExist: false }, async (memory, principal) => {
        const existing = await withFlagNames(findSpace(memory, name));
        if (existing !== undefined) {
          console.log(`Space ${name} exists already: nothing was changed (mnemo spaces add-member and mnemo spaces admission change it).`);
          console.log(formatSpace(existing));
          return;
        }
        await withFlagNames(memory.spaces.create(name, options));
        console.log(`Created space ${name}, with you (${principal}) as its admin.`);
        console.log(formatSpace(await memory.spaces.get(name)));
      });
    });

  spaces
    .command("show")
    .description("Show a space: its type, your role, its admission policy and its members")
    .argument("<name>", "the space, as mnemo spaces lists it")
    .option("--json", "print the space as JSON")
    .action(async (name: string, flags: { json?: boolean }, command: Command) => {
      await withMemory(command, { mustExist: true }, async (memory) => {
        const space = await withFlagNames(memory.spaces.get(name));
        console.log(flags.json ? JSON.stringify(space, null, 2) : formatSpace(space));
      });
    });

  spaces
    .command("add-member")
    .description("Admins: give a principal a role in a space (or change its role)")
    .argument("<space>", "the space")
    .argument("<principal>", "the principal (agent) to add")
    .addArgument(new Argument("<role>", `${SPACE_ROLES.join(", ")}`).argParser(oneOf("<role>", SPACE_ROLES)))
    .action(async (space: string, principal: string, role: SpaceRole, _flags: object, command: Command) => {
      await withMemory(command, { mustExist: true }, async (memory) => {
        const details = await withFlagNames(memory.spaces.setMember(space, principal, role));
        console.log(`${principal} is now ${role} in space ${space}.`);
        console.log(formatSpace(details));
      });
    });

  spaces
    .command("remove-member")
    .description("Admins: take a principal's role in a space away")
    .argument("<space>", "the space")
    .argument("<principal>", "a member of it")
    .action(async (space: string, principal: string, _flags: object, command: Command) => {
      await withMemory(command, { mustExist: true }, async (memory) => {
        const details = await withFlagNames(memory.spaces.get(space), { name: "<space>" });
        if (!details.members.some((member) => member.principal === principal)) {
          const members = details.members.map((member) => member.principal).join(", ") || "none";
          throw new MemoryError("invalid_input", `<principal>: ${principal} is not a member of space ${space} (members: ${members}). Nothing was changed.`, {
            details: { field: "<principal>", space, principal },
          });
        }
        const changed = await withFlagNames(memory.spaces.setMember(space, principal, null));
        console.log(`${principal} is no longer a member of space ${space}.`);
        console.log(formatSpace(changed));
      });
    });

  spaces
    .command("admission")
    .description("Admins: set how writes from non-admins enter a space from now on")
    .argument("<space>", "the space")
    .addArgument(new Argument("<mode>", `${ADMISSION_MODES.join(", ")}`).argParser(oneOf("<mode>", ADMISSION_MODES)))
    .option("--threshold <n>", "scored: the least score admitted, from 0 to 1 (default: 0.5)", parseThreshold)
    .action(async (space: string, mode: AdmissionMode, flags: { threshold?: number }, command: Command) => {
      if (flags.threshold !== undefined && mode !== "scored") command.error(`error: --threshold applies to the scored mode only, not ${mode}.`);
      await withMemory(command, { mustExist: true }, async (memory) => {
        const details = await withFlagNames(memory.spaces.setAdmission(space, { mode, ...(flags.threshold === undefined ? {} : { threshold: flags.threshold }) }));
        console.log(`Space ${space} now admits writes from non-admins by ${describeAdmission(details.admission)}.`);
      });
    });
}

/** Opens the database, runs `work` as the command's principal, and closes it. */
async function withMemory(command: Command, options: { mustExist: boolean }, work: (memory: Memory, principal: string) => Promise<void>): Promise<void> {
  const { memory, principal } = await openMemory(command, options);
  try {
    await work(memory, principal);
  } finally {
    await memory.close();
  }
}

async function findSpace(memory: Memory, name: string): Promise<SpaceDetails | undefined> {
  try {
    return await memory.spaces.get(name);
  } catch (error) {
    if (error instanceof MemoryError && error.code === "space_not_found") return undefined;
    throw error;
  }
}

/** The library names its arguments (`options.members[0].role`); the user typed flags (`--member`). */
async function withFlagNames<T>(work: Promise<T>, overrides: Record<string, string> = {}): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof MemoryError) || error.code !== "invalid_input" || typeof error.details["field"] !== "string") throw error;
    const field = error.details["field"];
    const flag = { ...FLAG_NAMES, ...overrides }[field.replace(/\[\d+\]/g, "")];
    if (flag === undefined || flag === field || !error.message.startsWith(`${field}: `)) throw error;
    throw new MemoryError(error.code, `${flag}: ${error.message.slice(field.length + 2)}`, { details: { ...error.details, field: flag }, cause: error });
  }
}

function formatSpaceList(spaces: readonly SpaceRecord[], principal: string): string {
  if (spaces.length === 0) return `No space you (${principal}) may read.`;
  const header = ["name", "type", "your role", "everyone", "admission"];
  const rows = spaces.map((space) => [space.name, space.type, space.role, space.everyone ?? "-", admissionCell(space.admission)]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

function formatSpace(space: SpaceDetails): string {
  const rows: [string, string][] = [
    ["type", space.type],
    ["your role", space.role],
    ["everyone", space.everyone ?? "- (members only)"],
    ["admission", describeAdmission(space.admission)],
    ["created", `${formatInstant(space.createdAt)}${space.createdBy === null ? "" : ` by ${space.createdBy}`}`],
    ["members", counted(space.members.length, "member")],
  ];
  const width = Math.max(0, ...space.members.map((member) => member.principal.length));
  const members = space.members.map((member) => `    ${member.principal.padEnd(width)}  ${member.role.padEnd(5)}  since ${formatInstant(member.addedAt)}`);
  return [`Space ${space.name}`, ...rows.map(([label, value]) => `  ${label.padEnd(10)}  ${value}`), ...members].join("\n");
}

function admissionCell(policy: AdmissionPolicy): string {
  return policy.mode === "scored" ? `scored ≥ ${policy.threshold}` : policy.mode;
}

function describeAdmission(policy: AdmissionPolicy): string {
  switch (policy.mode) {
    case "always":
      return "always: admitted at once";
    case "never":
      return "never: kept out, seen only by their authors and the admins";
    case "review":
      return "review: held until an admin approves them (mnemo review)";
    case "scored":
      return `scored: admitted when their score reaches ${policy.threshold}`;
  }
}

/** A commander parser that accepts one of `allowed`; anything else is a usage error. */
function oneOf<T extends string>(flag: string, allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if (!allowed.includes(value as T)) throw new InvalidArgumentError(`${flag} must be one of ${allowed.join(", ")}, got "${value}".`);
    return value as T;
  };
}

/** Starts undefined rather than [], so that help shows no default. */
function collectMember(value: string, previous: SpaceMember[] | undefined): SpaceMember[] {
  // Roles hold no "=", principal names may.
  const split = value.lastIndexOf("=");
  const principal = split < 0 ? "" : value.slice(0, split).trim();
  const role = split < 0 ? "" : value.slice(split + 1).trim();
  if (principal === "" || !SPACE_ROLES.includes(role as SpaceRole)) {
    throw new InvalidArgumentError(`--member must be principal=role, with role one of ${SPACE_ROLES.join(", ")} (e.g. --member scout=write), got "${value}".`);
  }
  return [...(previous ?? []), { principal, role: role as SpaceRole }];
}

function parseThreshold(value: string): number {
  const number = /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= 0 && number <= 1)) throw new InvalidArgumentError(`--threshold must be a number from 0 to 1 (e.g. 0.6), got "${value}".`);
  return number;
}
