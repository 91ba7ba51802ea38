import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { createMemory, type Memory } from "../memory.js";
import type { Embedder } from "../providers/embedder.js";
import type { LanguageModel } from "../providers/llm.js";
import { embedderFromEnvironment } from "./embedder-from-environment.js";
import { llmFromEnvironment } from "./llm-from-environment.js";

/** The file used when neither --db nor $MNEMO_DB names one, in the current directory. */
export const DEFAULT_DATABASE_FILE = "mnemo.db";

/** The tenant and the principal when neither a flag nor a variable names one: the library's defaults. */
export const DEFAULT_IDENTITY = "default";

/** As long as the library takes a tenant or principal name. */
const MAX_IDENTITY_LENGTH = 128;

export interface OpenedMemory {
  memory: Memory;
  /** Absolute, or ":memory:". */
  path: string;
  /** From the MNEMO_EMBEDDER_* variables; `undefined` when none is set (no semantic recall). */
  embedder: Embedder | undefined;
  /** From the MNEMO_LLM_* variables; `undefined` when none is set (heuristic extraction). */
  llm: LanguageModel | undefined;
  /** Who the command acts as: --tenant and --principal, else $MNEMO_TENANT and $MNEMO_PRINCIPAL, else "default". */
  tenant: string;
  principal: string;
}

export interface OpenMemoryOptions {
  /** Refuse to create the database: for commands that only read. */
  mustExist: boolean;
  /** Tries before a failing extraction job is dead (`--max-attempts`). @default the library's */
  maxAttempts?: number;
}

/** The database a command works on: --db, else $MNEMO_DB, else ./mnemo.db. */
export function databasePath(command: Command): string {
  const { db } = command.optsWithGlobals<{ db?: string }>();
  const path = db ?? (process.env["MNEMO_DB"] || DEFAULT_DATABASE_FILE);
  return path === ":memory:" ? path : resolve(path);
}

/** A commander parser for --tenant and --principal: a name the library accepts, or a usage error. */
export function identityOption(flag: string): (value: string) => string {
  return (value) => {
    if (value.trim() === "" || value.length > MAX_IDENTITY_LENGTH) throw new InvalidArgumentError(`${flag} must be a non-empty name of at most ${MAX_IDENTITY_LENGTH} characters.`);
    return value;
  };
}

/** Who the command acts as: --tenant/--principal, else $MNEMO_TENANT/$MNEMO_PRINCIPAL, else "default". */
export function identity(command: Command): { tenant: string; principal: string } {
  const flags = command.optsWithGlobals<{ tenant?: string; principal?: string }>();
  return {
    tenant: flags.tenant ?? fromEnvironment("MNEMO_TENANT", "--tenant"),
    principal: flags.principal ?? fromEnvironment("MNEMO_PRINCIPAL", "--principal"),
  };
}

function fromEnvironment(variable: string, flag: string): string {
  const value = process.env[variable];
  if (!value) return DEFAULT_IDENTITY;
  try {
    return identityOption(variable)(value);
  } catch (error) {
    throw new Error(`${(error as Error).message} Fix or unset $${variable}, or pass ${flag}.`, { cause: error });
  }
}

/**
 * Opens the command's database, with the embedder of the MNEMO_EMBEDDER_* variables and the language
 * model of the MNEMO_LLM_* variables when they are set. Commands that only read pass `mustExist`, so that
 * a mistyped path is an error rather than a new, empty database.
 *
 * Extraction jobs never run in the background here: a command that wants them run calls
 * `memory.jobs.run()` and waits, so a short-lived process never exits (or closes the memory) under a
 * job, and read commands never call the model.
 */
export async function openMemory(command: Command, options: OpenMemoryOptions): Promise<OpenedMemory> {
  const embedder = embedderFromEnvironment();
  const llm = llmFromEnvironment();
  const path = databasePath(command);
  const { tenant, principal } = identity(command);
  if (options.mustExist && path !== ":memory:" && !existsSync(path)) {
    throw new Error(`No database at ${path}. Ingest something first (mnemo ingest <file> --db ${path}), or point --db or $MNEMO_DB at an existing one.`);
  }
  const extraction = { background: false, ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }) };
  return { memory: await createMemory({ path, tenant, principal, embedder, llm, extraction }), path, embedder, llm, tenant, principal };
}
