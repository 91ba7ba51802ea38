// Checks shared by the extraction and consolidation `parse` functions. Each throws an Error whose message
// starts with the path of the bad value ("memories[2].kind: …"): the adapter sends it back to the model
// on the retry, so it must say exactly what to fix.

/** Keywords and tags kept per memory: more is noise, and the model would only be retried for it. */
export const MAX_TERMS = 16;

export function replyError(path: string, problem: string): Error {
  return new Error(`${path}: ${problem}`);
}

/** The value as the message quotes it: `"t9"`, `3`, `null`, `an object`. */
export function quote(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "an object";
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}

export function objectAt(path: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw replyError(path, `must be an object, got ${quote(value)}`);
  return value as Record<string, unknown>;
}

export function arrayAt(path: string, value: unknown, max?: number): unknown[] {
  if (!Array.isArray(value)) throw replyError(path, `must be an array, got ${quote(value)}`);
  if (max !== undefined && value.length > max) throw replyError(path, `has ${value.length} items; at most ${max} are allowed`);
  return value;
}

/** A string, trimmed, that must not be blank. */
export function textAt(path: string, value: unknown): string {
  if (typeof value !== "string") throw replyError(path, `must be a string, got ${quote(value)}`);
  const text = value.trim();
  if (text === "") throw replyError(path, "must not be empty");
  return text;
}

/** A string or null, trimmed; a blank string is read as null (it says nothing either). */
export function nullableTextAt(path: string, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string") throw replyError(path, `must be a string or null, got ${quote(value)}`);
  const text = value.trim();
  return text === "" ? null : text;
}

export function oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw replyError(path, `must be one of ${allowed.map((item) => `"${item}"`).join(", ")}, got ${quote(value)}`);
  }
  return value as T;
}

/** Keywords or tags: lower-cased, trimmed, blanks and repeats dropped, the first `MAX_TERMS` kept. */
export function termsAt(path: string, value: unknown): string[] {
  const terms = arrayAt(path, value).map((term, index) => {
    if (typeof term !== "string") throw replyError(`${path}[${index}]`, `must be a string, got ${quote(term)}`);
    return term.trim().toLowerCase();
  });
  return [...new Set(terms.filter((term) => term !== ""))].slice(0, MAX_TERMS);
}

/**
 * Reads a short reference such as "t3" (0-based index 2) among `count` items named `prefix`1…`prefix`count.
 * `what` names them in the error: "a turn of this batch".
 */
export function refAt(path: string, value: unknown, prefix: string, count: number, what: string): number {
  const index = typeof value === "string" && new RegExp(`^${prefix}([1-9]\\d*)$`).test(value.trim()) ? Number(value.trim().slice(prefix.length)) - 1 : -1;
  if (index < 0 || index >= count) throw replyError(path, `${quote(value)} is not ${what} (${refRange(prefix, count)})`);
  return index;
}

/** "t1–t5", "t1", or "there are none". */
export function refRange(prefix: string, count: number): string {
  if (count === 0) return "there are none";
  return count === 1 ? `${prefix}1` : `${prefix}1–${prefix}${count}`;
}
