import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { createMemory, type Memory } from "../memory.js";
import type { Embedder } from "../providers/embedder.js";
import { embedderFromEnvironment } from "./embedder-from-environment.js";

/** The file used when neither --db nor $MNEMO_DB names one, in the current directory. */
export const DEFAULT_DATABASE_FILE = "mnemo.db";

export interface OpenedMemory {
  memory: Memory;
  /** Absolute, or ":memory:". */
  path: string;
  /** From the MNEMO_EMBEDDER_* variables; `undefined` when none is set (no semantic recall). */
  embedder: Embedder | undefined;
}

/** The database a command works on: --db, else $MNEMO_DB, else ./mnemo.db. */
export function databasePath(command: Command): string {
  const { db } = command.optsWithGlobals<{ db?: string }>();
  const path = db ?? (process.env["MNEMO_DB"] || DEFAULT_DATABASE_FILE);
  return path === ":memory:" ? path : resolve(path);
}

/**
 * Opens the command's database, with the embedder of the MNEMO_EMBEDDER_* variables when they are set.
 * Commands that only read pass `mustExist`, so that a mistyped path is an error rather than a new,
 * empty database.
 */
export async function openMemory(command: Command, options: { mustExist: boolean }): Promise<OpenedMemory> {
  const embedder = embedderFromEnvironment();
  const path = databasePath(command);
  if (options.mustExist && path !== ":memory:" && !existsSync(path)) {
    throw new Error(`No database at ${path}. Ingest something first (mnemo ingest <file> --db ${path}), or point --db or $MNEMO_DB at an existing one.`);
  }
  return { memory: await createMemory({ path, embedder }), path, embedder };
}
