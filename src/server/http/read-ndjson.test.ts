import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryError } from "../../domain/memory-error.js";
import { readNdjson } from "./read-ndjson.js";

/** A body that delivers these chunks, then ends or breaks off. */
function body(chunks: string[], ending: "end" | "break"): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const queue = [...chunks];
  // One chunk per read, so a break comes after the chunks were read, as on a socket.
  return new ReadableStream({
    pull(controller) {
      const chunk = queue.shift();
      if (chunk !== undefined) controller.enqueue(encoder.encode(chunk));
      else if (ending === "end") controller.close();
      else controller.error(new Error("connection reset"));
    },
  });
}

async function read(stream: ReadableStream<Uint8Array>): Promise<{ values: unknown[]; error: unknown }> {
  const values: unknown[] = [];
  try {
    for await (const value of readNdjson(stream, 100)) values.push(value);
    return { values, error: null };
  } catch (error) {
    return { values, error };
  }
}

describe("readNdjson", () => {
  it("yields each line's value across chunk borders, skips blank lines, and takes a last line without its newline when the body ends", async () => {
    const { values, error } = await read(body(['{"a":', '1}\n\n  \n{"b":2}\r\n{"c"', ":3}"], "end"));
    assert.equal(error, null);
    assert.deepEqual(values, [{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it("drops a last line without its newline when the body breaks off, even if it parses, and throws the break", async () => {
    const { values, error } = await read(body(['{"kept":1}\n{"cut":2}'], "break"));
    assert.deepEqual(values, [{ kept: 1 }]);
    assert.match((error as Error).message, /connection reset/);
  });

  it("names the line that is not JSON, too long, or not UTF-8", async () => {
    const notJson = await read(body(['{"a":1}\n\n{"b":\n'], "end"));
    assert.ok(notJson.error instanceof MemoryError && notJson.error.code === "invalid_input");
    assert.match(notJson.error.message, /^line 3: is not JSON/);
    const long = await read(body([`{"a":"${"x".repeat(200)}`], "end"));
    assert.ok(long.error instanceof MemoryError && long.error.code === "too_large");
    assert.equal(long.error.details.line, 1);
    const bytes = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d, 0x0a]));
        controller.close();
      },
    });
    const utf8 = await read(bytes);
    assert.ok(utf8.error instanceof MemoryError);
    assert.match(utf8.error.message, /not valid UTF-8/);
  });
});
