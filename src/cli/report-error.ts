import { CommanderError } from "commander";
import { MemoryError } from "../domain/memory-error.js";

/** Exit codes of `mnemo`. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * The one place where an error becomes output: a message on stderr (a stack trace only when `debug`),
 * and the exit code. Commander has already printed its own usage errors.
 */
export function reportError(error: unknown, debug: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version come through here too (exitOverride): they are not failures.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) return EXIT_OK;
    return EXIT_USAGE;
  }
  if (error instanceof MemoryError) {
    console.error(`error: ${error.message}\ncode: ${error.code}`);
    if (debug) console.error(detail(error));
    return EXIT_FAILURE;
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(`error: ${message}`);
  if (debug) console.error(detail(error));
  return EXIT_FAILURE;
}

function detail(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; depth += 1) {
    parts.push(`${depth === 0 ? "" : "caused by: "}${current instanceof Error ? (current.stack ?? current.message) : String(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  if (error instanceof MemoryError && Object.keys(error.details).length > 0) parts.push(`details: ${JSON.stringify(error.details)}`);
  return parts.join("\n");
}
