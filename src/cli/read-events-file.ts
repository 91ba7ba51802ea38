import { readFileSync } from "node:fs";
import { BenchFormatError, caseToEvents, isBenchCase, parseBenchCases, type BenchCase } from "../../bench/neutral-format.js";
import { MemoryError } from "../domain/memory-error.js";
import { isPlainObject } from "../domain/validate.js";
import { checkEvents, type LocatedEvent } from "./check-events.js";
import { parseJsonRecords, type JsonRecord } from "./parse-json-records.js";

export interface EventsFile {
  path: string;
  /** How the file was read, for the summary: "JSON", "JSONL" or "neutral bench format (2 cases)". */
  format: string;
  /** Validated: `memory.ingest` accepts each of them (unless a space is missing). */
  events: LocatedEvent[];
}

export interface ReadEventsFileOptions {
  /** Writes every event into this space, whatever the file says. */
  space?: string;
}

/**
 * Reads events from a JSON file (an event or an array of events), a JSONL file (one event per line), or
 * the neutral bench format (JSONL cases with `sessions`, whose turns become events), and validates all
 * of them. Any problem throws, naming the file and line, before anything is written.
 */
export function readEventsFile(path: string, options: ReadEventsFileOptions = {}): EventsFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const { syntax, records } = parseJsonRecords(path, text);
  if (records.length === 0) {
    throw new MemoryError("invalid_input", `${path} holds no events. Give a JSON event or array of events, JSONL (one event per line), or neutral-format cases.`, {
      details: { file: path },
    });
  }
  const bench = isBenchCase(records[0]!.value);
  const odd = records.find((record) => isBenchCase(record.value) !== bench);
  if (odd) {
    const first = records[0]!.line;
    const problem = bench ? `is not a neutral-format case (it has no "sessions"), but line ${first} is one` : `is a neutral-format case (it has "sessions"), but line ${first} is an event`;
    throw new MemoryError("invalid_input", `${path} line ${odd.line}: ${problem}. Put events and cases in separate files.`, { details: { file: path, line: odd.line } });
  }
  const read = bench ? benchEvents(path, records) : { format: syntax === "json" ? "JSON" : "JSONL", events: records.map(({ value, line }) => ({ event: value, line })) };
  const events = options.space === undefined ? read.events : read.events.map(({ event, line }) => ({ event: isPlainObject(event) ? { ...event, space: options.space } : event, line }));
  checkEvents(path, events);
  return { path, format: read.format, events };
}

function benchEvents(path: string, records: readonly JsonRecord[]): { format: string; events: LocatedEvent[] } {
  let cases: BenchCase[];
  try {
    // parseBenchCases checks every field, one case per line: feed it the records so its lines map back to ours.
    cases = parseBenchCases(records.map((record) => JSON.stringify(record.value)).join("\n"));
  } catch (error) {
    if (!(error instanceof BenchFormatError)) throw error;
    const line = records[error.line - 1]?.line ?? error.line;
    throw new MemoryError("invalid_input", `${path} line ${line}: ${error.message.replace(/^line \d+: /, "")} Nothing was ingested; fix that case and run the command again.`, {
      details: { file: path, line },
      cause: error,
    });
  }
  const events = cases.flatMap((benchCase, index) => caseToEvents(benchCase).map((event) => ({ event, line: records[index]!.line })));
  return { format: `neutral bench format (${cases.length} case${cases.length === 1 ? "" : "s"})`, events };
}
