import { MemoryError } from "../domain/memory-error.js";
import { scanJson } from "./scan-json.js";
import { caretSnippet, textPosition, textPositions } from "./text-position.js";

/** One JSON value read from a file, with the line it starts on. */
export interface JsonRecord {
  value: unknown;
  line: number;
}

export interface JsonRecords {
  /** "json": one JSON document (its array's elements are the records); "jsonl": one value per line. */
  syntax: "json" | "jsonl";
  records: JsonRecord[];
}

/**
 * Reads a file's text as JSON or JSONL, told apart by content rather than extension: a file whose first
 * or second non-blank line is a whole JSON object on its own is JSONL; anything else is one JSON document.
 * A syntax error throws `invalid_input` naming the file, line and column, with the line and a caret.
 */
export function parseJsonRecords(file: string, text: string): JsonRecords {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const lines = body.split("\n");
  const filled = lines.map((line, index) => ({ line: index + 1, text: line })).filter((entry) => entry.text.trim() !== "");
  const looksLikeJsonl = filled.length > 1 && filled[0]!.text.trimStart().startsWith("{") && filled.slice(0, 2).some((entry) => isObjectText(entry.text));
  if (looksLikeJsonl) {
    return { syntax: "jsonl", records: filled.map((entry) => ({ value: parseLine(file, entry.text, entry.line), line: entry.line })) };
  }
  if (filled.length === 0) return { syntax: "json", records: [] };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const scan = scanJson(body);
    if (!scan.error) throw syntaxError(`${file}: not valid JSON (${(error as Error).message}).`, { file }, error);
    const { line, column } = textPosition(body, scan.error.offset);
    throw syntaxError(located(file, line, column, scan.error.message, lines[line - 1] ?? ""), { file, line, column }, error);
  }
  if (!Array.isArray(value)) return { syntax: "json", records: [{ value, line: filled[0]!.line }] };
  const positions = textPositions(body, scanJson(body).elementOffsets);
  return { syntax: "json", records: value.map((element: unknown, index) => ({ value: element, line: positions[index]?.line ?? 1 })) };
}

function parseLine(file: string, text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const scan = scanJson(text);
    const column = (scan.error?.offset ?? 0) + 1;
    throw syntaxError(located(file, line, column, scan.error?.message ?? (error as Error).message, text), { file, line, column }, error);
  }
}

function isObjectText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

function located(file: string, line: number, column: number, message: string, lineText: string): string {
  return `${file} line ${line}, column ${column}: not valid JSON: ${message}.\n${caretSnippet(lineText, line, column)}\nFix the JSON there and run the command again; nothing was ingested.`;
}

function syntaxError(message: string, details: Record<string, unknown>, cause: unknown): MemoryError {
  return new MemoryError("invalid_input", message, { details, cause });
}
