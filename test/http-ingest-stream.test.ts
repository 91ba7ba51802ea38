import assert from "node:assert/strict";
import { request, type ClientRequest, type IncomingMessage } from "node:http";
import { after, before, describe, it } from "node:test";
import { issueApiKey } from "../src/server/api-keys.js";
import { serveHttp, type HttpServer } from "../src/server/http/serve-http.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { MemoryStore } from "../src/store/store.js";
import { counterIds, manualClock } from "./support/memory-fixtures.js";

/** One NDJSON request kept open: lines go out when the test says, acks are read as they come. */
interface NdjsonStream {
  send(text: string): void;
  /** The next line of the reply, parsed. */
  next(): Promise<Record<string, unknown>>;
  end(): void;
  /** Breaks the connection, as a crashed client would. */
  cut(): void;
  response: Promise<IncomingMessage>;
}

function openNdjson(url: string, key: string, contentType = "application/x-ndjson"): NdjsonStream {
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let request_: ClientRequest;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request_ = request(`${url}/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": contentType } }, (reply) => {
      reply.setEncoding("utf8");
      let buffered = "";
      reply.on("data", (chunk: string) => {
        buffered += chunk;
        const parts = buffered.split("\n");
        buffered = parts.pop()!;
        for (const line of parts) (waiting.shift() ?? ((value: string) => lines.push(value)))(line);
      });
      // A reply that is not NDJSON (an error before streaming) ends without a newline: hand it over whole.
      reply.on("end", () => buffered && (waiting.shift() ?? ((value: string) => lines.push(value)))(buffered));
      resolve(reply);
    });
    request_.on("error", reject);
    request_.flushHeaders();
  });
  response.catch(() => {});
  return {
    send: (text) => void request_.write(text),
    next: async () => JSON.parse(lines.shift() ?? (await new Promise<string>((resolve) => waiting.push(resolve)))) as Record<string, unknown>,
    end: () => request_.end(),
    cut: () => request_.destroy(),
    response,
  };
}

describe("POST /v1/events as an NDJSON stream", () => {
  let store: MemoryStore;
  let server: HttpServer;
  let key: string;
  const recall = async (query: string): Promise<string[]> => {
    const reply = await fetch(`${server.url}/v1/recall`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    return ((await reply.json()) as { items: { memory: { text: string } }[] }).items.map((item) => item.memory.text);
  };

  before(async () => {
    store = await openSqliteStore({ path: ":memory:" });
    key = (await issueApiKey(store, { tenantId: "acme", principalId: "sensor", name: "sensor" }, 0)).key;
    const clock = manualClock("2024-03-01T12:00:00Z");
    server = await serveHttp({ store, port: 0, drainMs: 200, maxBodyBytes: 4_096, memory: { clock: clock.now, generateId: counterIds(), extraction: false } });
  });
  after(async () => {
    await server.close();
    await store.close();
  });

  it("acknowledges each line once it is recallable, while the request is still open", async () => {
    const stream = openNdjson(server.url, key);
    stream.send(`${JSON.stringify({ text: "Greenhouse humidity rose to 81 percent", idempotencyKey: "g/1" })}\n`);
    const first = await stream.next();
    assert.equal((await stream.response).statusCode, 200);
    assert.equal((await stream.response).headers["content-type"], "application/x-ndjson");
    assert.deepEqual({ ...first, eventId: "…", memoryId: "…" }, { index: 0, eventId: "…", memoryId: "…", idempotencyKey: "g/1", duplicate: false });
    assert.deepEqual(await recall("humidity greenhouse"), ["Greenhouse humidity rose to 81 percent"], "recallable before the stream ends");
    stream.send("\n"); // a keep-alive
    // One line split over two writes, and two lines in one.
    stream.send('{"text":"Vent opened on the ');
    stream.send(`north side"}\n${JSON.stringify({ text: "Greenhouse humidity rose to 81 percent", idempotencyKey: "g/1" })}\n`);
    const second = await stream.next();
    const third = await stream.next();
    assert.equal(second["index"], 1);
    assert.deepEqual([third["index"], third["duplicate"], third["memoryId"]], [2, true, first["memoryId"]]);
    stream.end();
    assert.deepEqual(await stream.next(), { done: true, inserted: 2, duplicates: 1 });
  });

  it("is not held to the body limit as a whole, only line by line", async () => {
    const stream = openNdjson(server.url, key, "application/ndjson; charset=utf-8");
    const lines = Array.from({ length: 60 }, (_, index) => `${JSON.stringify({ text: `reading ${index}: ${"x".repeat(100)}` })}\n`).join("");
    assert.ok(lines.length > 4_096);
    stream.send(lines);
    stream.end();
    let last: Record<string, unknown>;
    do last = await stream.next();
    while (!("done" in last) && !("error" in last));
    assert.deepEqual(last, { done: true, inserted: 60, duplicates: 0 });
  });

  it("ends with an error line at a bad line, keeping what was acknowledged", async () => {
    const stream = openNdjson(server.url, key);
    stream.send(`${JSON.stringify({ text: "Soil moisture sensor 4 calibrated" })}\n`);
    assert.equal((await stream.next())["index"], 0);
    stream.send(`{"text": "cut off\n`);
    const error = (await stream.next())["error"] as { code: string; message: string };
    assert.equal(error.code, "invalid_input");
    assert.match(error.message, /^line 2: is not JSON/);
    const wrongType = openNdjson(server.url, key);
    wrongType.send(`${JSON.stringify({ text: "fine" })}\n${JSON.stringify({ text: 7 })}\n`);
    assert.equal((await wrongType.next())["index"], 0);
    assert.match(((await wrongType.next())["error"] as { message: string }).message, /^events\[1\]\.text: /);
    assert.ok((await recall("soil moisture calibrated")).includes("Soil moisture sensor 4 calibrated"));
  });

  it("keeps what was acknowledged when the client's connection breaks mid-line (a cut last line is dropped: read-ndjson.test.ts)", async () => {
    const stream = openNdjson(server.url, key);
    stream.send(`${JSON.stringify({ text: "Irrigation pump started at dawn" })}\n`);
    await stream.next();
    stream.send(`{"text": "Irrigation pump stopped`);
    stream.cut();
    // The server notices the break and finishes; a new request is served meanwhile.
    const texts = await recall("irrigation pump");
    assert.ok(texts.includes("Irrigation pump started at dawn"));
    assert.ok(!texts.some((text) => text.includes("stopped")));
  });

  it("refuses a stream without a valid key before reading it, and a body type it does not speak", async () => {
    const refused = await fetch(`${server.url}/v1/events`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: '{"text":"x"}\n' });
    assert.equal(refused.status, 401);
    const xml = await fetch(`${server.url}/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/xml" }, body: "<event/>" });
    assert.equal(xml.status, 415);
    const body = (await xml.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "invalid_input");
    assert.match(body.error.message, /application\/json \(or, to \/v1\/events, application\/x-ndjson\)/);
  });
});
