import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { createMemory, type Memory } from "../memory.js";

/** The file used when neither --db nor $MNEMO_DB names one, in the current directory. */
export const DEFAULT_DATABASE_FILE = "mnemo.db";

export interface OpenedMemory {
  memory: Memory;
  /** Absolute, or ":memory:". */
  path: string;
}

/** The database a command works on: --db, else $MNEMO_DB, else ./mnemo.db. */
export function databasePath(command: Command): string {
  const { db } = command.optsWithGlobals<{ db?: string }>();
  const path = db ?? (process.env["MNEMO_DB"] || DEFAULT_DATABASE_FILE);
  return path === ":memory:" ? path : resolve(path);
}

/**
 * Opens the command's database. Commands that only read pass `mustExist`, so that a mistyped path
 * is an error rather than a new, empty database.
 */
export async function openMemory(command: Command, options: { mustExist: boolean }): Promise<OpenedMemory> {
  const path = databasePath(command);
  if (options.mustExist && path !== ":memory:" && !existsSync(path)) {
    throw new Error(`No database at ${path}. Ingest something first (mnemo ingest <file> --db ${path}), or point --db or $MNEMO_DB at an existing one.`);
  }
  return { memory: await createMemory({ path }), path };
}
