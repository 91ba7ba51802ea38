import { MemoryError, invalidInput } from "../../domain/memory-error.js";

/** Media types taken as newline-delimited JSON ("application/jsonl" would be taken for JSON by the validator). */
export const NDJSON_TYPES: readonly string[] = ["application/x-ndjson", "application/ndjson", "application/x-jsonlines"];

export function isNdjson(contentType: string | undefined): boolean {
  const essence = contentType?.split(";")[0]?.trim().toLowerCase();
  return essence !== undefined && NDJSON_TYPES.includes(essence);
}

/**
 * The JSON values of a newline-delimited body, as they arrive. Blank lines are skipped (a client may send
 * them to keep a quiet stream open). A line that is not JSON, or longer than `maxLineChars`, ends the
 * stream with an error naming the line; so does a body that breaks off, and a last line without its
 * newline is then dropped, since it may be cut short.
 */
export async function* readNdjson(body: ReadableStream<Uint8Array> | null, maxLineChars: number): AsyncGenerator<unknown> {
  if (!body) return;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const reader = body.getReader();
  let pending = "";
  let line = 0;
  function* complete(text: string): Generator<unknown> {
    line++;
    if (text.length > maxLineChars) tooLong(line);
    const trimmed = text.trim();
    if (trimmed === "") return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw invalidInput(`line ${line}`, `is not JSON (${(error as Error).message}). Send one event object per line.`, { line });
    }
    yield value;
  }
  const decode = (bytes?: Uint8Array): string => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw invalidInput(`line ${line + 1}`, "is not valid UTF-8.", { line: line + 1 });
    }
  };
  const tooLong = (at: number): never => {
    throw new MemoryError("too_large", `line ${at}: over ${maxLineChars} characters. Send one event per line.`, { details: { field: `line ${at}`, line: at, limit: maxLineChars } });
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const parts = decode(value).split("\n");
      pending += parts[0];
      for (const part of parts.slice(1)) {
        yield* complete(pending);
        pending = part;
      }
      if (pending.length > maxLineChars) tooLong(line + 1);
    }
    yield* complete(pending + decode());
  } finally {
    reader.releaseLock();
    void body.cancel().catch(() => {});
  }
}
