import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Embedder, LanguageModel } from "../src/index.js";
import { createMemory } from "../src/index.js";
import { issueApiKey } from "../src/server/api-keys.js";
import { serveHttp } from "../src/server/http/serve-http.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";

/** A promise the test resolves by hand, and another that says the code under test reached it. */
function gate(): { reached: Promise<void>; reach(): void; open(): void; opened: Promise<void> } {
  let reach = (): void => {};
  let open = (): void => {};
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { reached, reach, open, opened };
}

describe("shutting the HTTP server down", () => {
  it("lets a request in flight finish, ends change streams, cuts what outlives the drain, and hands a running job back", async () => {
    const store = await openSqliteStore({ path: ":memory:" });
    const key = (await issueApiKey(store, { tenantId: "acme", principalId: "ana", name: "ana" }, 0)).key;
    // An embedder that holds the first ingest until the test lets it go.
    const embedding = gate();
    const embedder: Embedder = {
      name: "held",
      dimensions: 2,
      maxBatchSize: 16,
      embed: async (texts) => {
        if (texts.some((text) => text.includes("in flight"))) {
          embedding.reach();
          await embedding.opened;
        }
        return texts.map(() => new Float32Array([1, 0]));
      },
    };
    // A model that answers only when its call is aborted, as a close does.
    const modelCalled = gate();
    const llm: LanguageModel = {
      name: "stuck",
      usage: () => ({ calls: 0, failures: 0, invalidReplies: 0, inputTokens: 0, outputTokens: 0 }),
      completeJson: (request) => {
        modelCalled.reach();
        return new Promise((_, reject) => request.signal?.addEventListener("abort", () => reject(request.signal?.reason)));
      },
    };
    const server = await serveHttp({ store, port: 0, drainMs: 300, memory: { embedder, llm, extraction: { background: true, batchSize: 1 } } });
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    try {
      // A job for the stuck model, running.
      assert.equal((await fetch(`${server.url}/v1/events`, { method: "POST", headers, body: JSON.stringify({ text: "I live in Lisbon" }) })).status, 201);
      await modelCalled.reached;
      // A change stream, and an NDJSON upload that stays open past the drain.
      const changes = await fetch(`${server.url}/v1/changes?since=0`, { headers });
      const upload = new TransformStream<Uint8Array, Uint8Array>();
      const writer = upload.writable.getWriter();
      const streamed = fetch(`${server.url}/v1/events`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/x-ndjson" },
        body: upload.readable,
        duplex: "half",
      } as RequestInit);
      await writer.write(new TextEncoder().encode(`${JSON.stringify({ text: "streamed before the stop" })}\n`));
      // A request in flight, held in its embedding.
      const inFlight = fetch(`${server.url}/v1/events`, { method: "POST", headers, body: JSON.stringify({ text: "sent in flight" }) });
      await embedding.reached;

      const closed = server.close();
      const changesText = await changes.text(); // ends because the server ended the stream
      assert.match(changesText, /event: memory\.created/);
      embedding.open();
      const finished = await inFlight;
      assert.equal(finished.status, 201, "the request in flight finished");
      await closed;
      await streamed.then((response) => response.text()).catch(() => "cut"); // cut after the drain, either way it ends
      await writer.abort().catch(() => {});

      const memory = await createMemory({ store, tenant: "acme", principal: "ana", extraction: false });
      const texts = (await memory.list({ limit: 10 })).items.map((item) => item.text).sort();
      assert.deepEqual(texts, ["I live in Lisbon", "sent in flight", "streamed before the stop"].sort());
      const jobs = await memory.jobs.list();
      assert.ok(jobs.length >= 1);
      assert.ok(jobs.every((job) => job.status === "pending"), `running jobs are handed back: ${JSON.stringify(jobs.map((job) => job.status))}`);
      await memory.close();
    } finally {
      await server.close();
      await store.close();
    }
  });
});
