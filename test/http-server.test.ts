import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { issueApiKey } from "../src/server/api-keys.js";
import { serveHttp, type HttpServer } from "../src/server/http/serve-http.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { MemoryStore } from "../src/store/store.js";
import { callJson } from "./support/call-json.js";
import { counterIds, manualClock } from "./support/memory-fixtures.js";

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; details: Record<string, unknown> } };
}

describe("the HTTP API on 127.0.0.1", () => {
  let store: MemoryStore;
  let server: HttpServer;
  let ana: string;
  let rival: string;
  const call = (method: string, path: string, key: string | null, body?: unknown, raw?: string): Promise<Reply> => callJson(server.url, method, path, key, body, raw);

  before(async () => {
    store = await openSqliteStore({ path: ":memory:" });
    ana = (await issueApiKey(store, { tenantId: "acme", principalId: "ana", name: "ana's agent" }, 0)).key;
    rival = (await issueApiKey(store, { tenantId: "rival", principalId: "eve", name: "another tenant" }, 0)).key;
    const clock = manualClock("2024-03-01T12:00:00Z");
    server = await serveHttp({ store, port: 0, drainMs: 200, memory: { clock: clock.now, generateId: counterIds(), extraction: false } });
  });
  after(async () => {
    await server.close();
    await store.close();
  });

  it("answers health and the OpenAPI document without a key", async () => {
    assert.deepEqual(await call("GET", "/v1/health", null), { status: 200, body: { status: "ok" } });
    const document = await call("GET", "/v1/openapi.json", null);
    assert.equal(document.status, 200);
    assert.equal(document.body["openapi"], "3.1.0");
    assert.deepEqual(Object.keys(document.body["paths"] as object).sort(), [
      "/v1/changes",
      "/v1/events",
      "/v1/jobs",
      "/v1/jobs/replay",
      "/v1/jobs/run",
      "/v1/memories",
      "/v1/memories/{id}",
      "/v1/memories/{id}/approve",
      "/v1/memories/{id}/feedback",
      "/v1/memories/{id}/history",
      "/v1/memories/{id}/links",
      "/v1/memories/{id}/reject",
      "/v1/recall",
      "/v1/spaces",
      "/v1/spaces/{name}",
      "/v1/spaces/{name}/admission",
      "/v1/spaces/{name}/members/{principal}",
      "/v1/stats",
    ]);
    const schemas = (document.body["components"] as { schemas: Record<string, unknown> }).schemas;
    assert.ok(schemas["Event"] && schemas["RecallBody"] && schemas["Error"], "the request schemas are the document's");
  });

  it("refuses a missing, malformed or revoked key with 401 and the same body", async () => {
    const missing = await call("POST", "/v1/recall", null, { query: "x" });
    const wrong = await call("POST", "/v1/recall", "mnemo_AAAAAAAAAAAA_" + "a".repeat(43), { query: "x" });
    assert.equal(missing.status, 401);
    assert.deepEqual(wrong, missing);
    assert.equal(missing.body.error?.code, "unauthorized");
    const revoked = await issueApiKey(store, { tenantId: "acme", principalId: "old", name: "old" }, 0);
    await store.revokeApiKey(revoked.record.id, 1);
    assert.deepEqual(await call("POST", "/v1/recall", revoked.key, { query: "x" }), missing);
  });

  it("ingests and recalls for the key's principal; another tenant gets 404, never the memory", async () => {
    const ingested = await call("POST", "/v1/events", ana, [{ text: "The deploy key rotates on Mondays", speaker: "Ana", idempotencyKey: "k1" }]);
    assert.equal(ingested.status, 201, JSON.stringify(ingested.body));
    const id = (ingested.body["events"] as { memoryId: string }[])[0]!.memoryId;
    const recalled = await call("POST", "/v1/recall", ana, { query: "when does the deploy key rotate?", budgetTokens: 200 });
    assert.equal(recalled.status, 200);
    assert.match((recalled.body["context"] as { text: string }).text, /deploy key rotates on Mondays/);
    const got = await call("GET", `/v1/memories/${id}`, ana);
    assert.deepEqual([got.status, got.body["author"], got.body["version"]], [200, "ana", 1]);
    const stolen = await call("GET", `/v1/memories/${id}`, rival);
    const missing = await call("GET", "/v1/memories/mem_nope", rival);
    assert.equal(stolen.status, 404);
    assert.equal(stolen.body.error?.message.replace(id, "<id>"), missing.body.error?.message.replace("mem_nope", "<id>"), "the same answer as for an id that never existed");
    assert.doesNotMatch(JSON.stringify(stolen.body), /deploy|acme|ana/);
    const theirs = await call("POST", "/v1/recall", rival, { query: "deploy key" });
    assert.deepEqual(theirs.body["items"], []);
  });

  it("validates requests at the boundary with the same error body, and maps library errors to statuses", async () => {
    const wrongType = await call("POST", "/v1/events", ana, { text: 42 });
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.body.error?.code, "invalid_input");
    assert.equal(wrongType.body.error?.details["field"], "text");
    const unknownField = await call("POST", "/v1/recall", ana, { query: "x", budget: 5 });
    assert.equal(unknownField.status, 400);
    const badJson = await call("POST", "/v1/events", ana, undefined, "{ not json");
    assert.deepEqual([badJson.status, badJson.body.error?.code], [400, "invalid_input"]);
    const conflict = await call("POST", "/v1/events", ana, { text: "other content", idempotencyKey: "k1" });
    assert.deepEqual([conflict.status, conflict.body.error?.code], [409, "idempotency_conflict"]);
    const noSpace = await call("POST", "/v1/events", ana, { text: "x", space: "nowhere" });
    assert.deepEqual([noSpace.status, noSpace.body.error?.code], [404, "space_not_found"]);
    const huge = await call("POST", "/v1/events", ana, { text: "x".repeat(2_000_000) });
    assert.deepEqual([huge.status, huge.body.error?.code], [413, "too_large"]);
    const nowhere = await call("GET", "/v1/nothing", ana);
    assert.deepEqual([nowhere.status, nowhere.body.error?.code], [404, "not_found"]);
  });

  it("streams changes as server-sent events and resumes with Last-Event-ID, nothing missed or repeated", async () => {
    const bob = (await issueApiKey(store, { tenantId: "acme", principalId: "bob", name: "bob" }, 0)).key;
    const first = await openStream(`${server.url}/v1/changes?since=0`, bob);
    await call("POST", "/v1/events", ana, [{ text: "stream one" }, { text: "stream two" }]);
    const seen = await first.take((events) => events.filter((event) => event.data.includes("stream two")).length === 1);
    first.close();
    const lastId = seen.at(-1)!.id;
    await call("POST", "/v1/events", ana, [{ text: "stream three" }, { text: "stream four" }]); // while bob is away
    const resumed = await openStream(`${server.url}/v1/changes`, bob, lastId);
    await call("POST", "/v1/events", ana, { text: "stream five" });
    const rest = await resumed.take((events) => events.some((event) => event.data.includes("stream five")));
    resumed.close();
    const texts = [...seen, ...rest].map((event) => (JSON.parse(event.data) as { memory?: { text?: string } }).memory?.text).filter((text) => text?.startsWith("stream"));
    assert.deepEqual(texts, ["stream one", "stream two", "stream three", "stream four", "stream five"]);
    const ids = [...seen, ...rest].map((event) => Number(event.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), "in sequence order");
    assert.equal(new Set(ids).size, ids.length, "none repeated");
    assert.ok(rest.every((event) => event.event === "memory.created" && Number(event.id) > Number(lastId)));
    const outsider = await openStream(`${server.url}/v1/changes?since=0`, rival);
    await call("POST", "/v1/events", rival, { text: "rival's own note" });
    const theirs = await outsider.take((events) => events.some((event) => event.data.includes("rival's own note")));
    outsider.close();
    assert.ok(theirs.every((event) => !event.data.includes("stream")), "another tenant's stream carries nothing of acme");
    const bad = await fetch(`${server.url}/v1/changes`, { headers: { authorization: `Bearer ${bob}`, "last-event-id": "abc" } });
    assert.equal(bad.status, 400);
  });

  it("lists, updates with compare-and-set, shows history, takes feedback, counts and forgets", async () => {
    const { body } = await call("POST", "/v1/events", ana, { text: "The build cache lives in /var/cache/ci", space: "default" });
    const id = (body["events"] as { memoryId: string }[])[0]!.memoryId;
    const page = await call("GET", "/v1/memories?author=ana&limit=50", ana);
    assert.ok((page.body["items"] as { id: string }[]).some((item) => item.id === id));
    const updated = await call("PATCH", `/v1/memories/${id}`, ana, { expectedVersion: 1, text: "The build cache lives in /srv/cache" });
    assert.deepEqual([updated.status, updated.body["version"]], [200, 2]);
    const stale = await call("PATCH", `/v1/memories/${id}`, ana, { expectedVersion: 1, text: "lost" });
    assert.deepEqual([stale.status, stale.body.error?.code, stale.body.error?.details["currentVersion"]], [409, "conflict", 2]);
    const history = await call("GET", `/v1/memories/${id}/history`, ana);
    assert.deepEqual((history.body as unknown as { version: number }[]).map((version) => version.version), [1, 2]);
    const bob = (await issueApiKey(store, { tenantId: "acme", principalId: "carl", name: "carl" }, 0)).key;
    const feedback = await fetch(`${server.url}/v1/memories/${id}/feedback`, { method: "POST", headers: { authorization: `Bearer ${bob}`, "content-type": "application/json" }, body: JSON.stringify({ used: true }) });
    assert.equal(feedback.status, 204);
    const stats = await call("GET", "/v1/stats", ana);
    assert.equal(stats.status, 200);
    assert.ok((stats.body["memories"] as number) >= 1);
    const staleForget = await call("DELETE", `/v1/memories/${id}?expectedVersion=1`, ana);
    assert.equal(staleForget.status, 409);
    const forgotten = await call("DELETE", `/v1/memories/${id}?expectedVersion=2`, ana);
    assert.deepEqual([forgotten.status, forgotten.body["versionsPurged"]], [200, 2]);
    const foreign = await call("DELETE", `/v1/memories/${id}`, rival);
    assert.equal(foreign.status, 404);
  });

  it("manages spaces and members; roles decide, and a space you may not read is a 404", async () => {
    const dana = (await issueApiKey(store, { tenantId: "acme", principalId: "dana", name: "dana" }, 0)).key;
    const created = await call("POST", "/v1/spaces", ana, { name: "research", members: [{ principal: "dana", role: "read" }], admission: { mode: "review" } });
    assert.deepEqual([created.status, created.body["type"], created.body["role"]], [200, "shared", "admin"]);
    const shown = await call("GET", "/v1/spaces/research", dana);
    assert.deepEqual((shown.body["members"] as { principal: string }[]).map((member) => member.principal), ["ana", "dana"]);
    const denied = await call("POST", "/v1/events", dana, { text: "mine", space: "research" });
    assert.deepEqual([denied.status, denied.body.error?.code], [403, "forbidden"]);
    const promoted = await call("PUT", "/v1/spaces/research/members/dana", ana, { role: "write" });
    assert.equal(promoted.status, 200);
    const held = await call("POST", "/v1/events", dana, { text: "a finding for review", space: "research" });
    const heldId = (held.body["events"] as { memoryId: string }[])[0]!.memoryId;
    const approved = await call("POST", `/v1/memories/${heldId}/approve`, ana, { why: "checked" });
    assert.deepEqual([approved.status, (approved.body["admission"] as { status: string }).status], [200, "admitted"]);
    const policy = await call("PUT", "/v1/spaces/research/admission", dana, { mode: "always" });
    assert.equal(policy.status, 403);
    const removed = await call("DELETE", "/v1/spaces/research/members/dana", ana);
    assert.equal(removed.status, 200);
    const gone = await call("GET", "/v1/spaces/research", dana);
    assert.deepEqual([gone.status, gone.body.error?.code], [404, "space_not_found"]);
    const list = await call("GET", "/v1/spaces", rival);
    assert.ok(!JSON.stringify(list.body).includes("research"));
  });
});


interface SseEvent {
  id: string;
  event: string;
  data: string;
}

/** A server-sent events connection read by hand: `take` reads until the events so far satisfy `done`. */
async function openStream(url: string, key: string, lastEventId?: string): Promise<{ take: (done: (events: SseEvent[]) => boolean) => Promise<SseEvent[]>; close: () => void }> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}`, ...(lastEventId ? { "last-event-id": lastEventId } : {}) }, signal: abort.signal });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const events: SseEvent[] = [];
  return {
    take: async (done) => {
      while (!done(events)) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error(`the stream ended early after ${events.length} events`);
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string): string => block.split("\n").filter((line) => line.startsWith(`${name}:`)).map((line) => line.slice(name.length + 1).trimStart()).join("\n");
          if (field("id") !== "") events.push({ id: field("id"), event: field("event"), data: field("data") });
        }
      }
      return events.splice(0);
    },
    close: () => abort.abort(),
  };
}
