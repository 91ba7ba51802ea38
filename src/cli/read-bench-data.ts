import { readFileSync } from "node:fs";

/** A dataset file's text; a read failure says which file. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** A dataset file parsed as JSON; bad JSON says where, and `hint` says what was expected. */
export function readJsonFile(path: string, hint: string): unknown {
  const text = readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}). ${hint}`, { cause: error });
  }
}
