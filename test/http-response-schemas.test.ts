import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MemoryError } from "../src/domain/memory-error.js";
import type { SpaceDetails, SpaceRecord } from "../src/domain/spaces.js";
import type { ChangeEvent, ForgetResult, IngestResult, JobRecord, MemoryLink, MemoryPage, MemoryRecord, MemoryStats, RecallResult } from "../src/domain/types.js";
import type { JobRunSummary } from "../src/ingest/job-worker.js";
import type { LanguageModel } from "../src/providers/llm.js";
import { issueApiKey } from "../src/server/api-keys.js";
import { serveHttp, type HttpServer } from "../src/server/http/serve-http.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { MemoryStore } from "../src/store/store.js";
import { DocumentedResponses, type OpenApiDocument } from "./support/documented-responses.js";
import { counterIds, manualClock } from "./support/memory-fixtures.js";

/** A model whose every reply is unusable, so extraction jobs die and keep the error and the reply. */
const UNUSABLE_MODEL: LanguageModel = {
  name: "unusable",
  completeJson: async () => {
    throw new MemoryError("provider", "The model's reply is not the JSON asked for.", { details: { raw: "Sorry, I can't help with that." } });
  },
  usage: () => ({ calls: 0, inputTokens: 0, outputTokens: 0, failures: 0, invalidReplies: 0 }),
};

describe("the OpenAPI document's response schemas", () => {
  let store: MemoryStore;
  let server: HttpServer;
  let failing: HttpServer;
  let responses: DocumentedResponses;
  const keys: Record<"ana" | "bob" | "cy", string> = { ana: "", bob: "", cy: "" };
  const clock = manualClock("2024-03-01T12:00:00Z");

  /** A request whose reply is checked against the document; `T` is what its (now checked) schema says it is. */
  const call = async <T>(method: string, path: string, key: string, body?: unknown, expected = 200, base = server.url): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const value: unknown = await response.json();
    assert.equal(response.status, expected, `${method} ${path}: ${JSON.stringify(value)}`);
    responses.check(method, path, response.status, "application/json", value);
    return value as T;
  };

  before(async () => {
    store = await openSqliteStore({ path: ":memory:" });
    for (const principal of ["ana", "bob"] as const) keys[principal] = (await issueApiKey(store, { tenantId: "acme", principalId: principal, name: principal }, 0)).key;
    keys.cy = (await issueApiKey(store, { tenantId: "letters", principalId: "cy", name: "cy" }, 0)).key;
    server = await serveHttp({ store, port: 0, drainMs: 200, rateLimit: false, memory: { clock: clock.now, generateId: counterIds(), extraction: { background: false } } });
    failing = await serveHttp({
      store,
      port: 0,
      drainMs: 200,
      rateLimit: false,
      memory: { clock: clock.now, generateId: counterIds("f"), llm: UNUSABLE_MODEL, extraction: { background: false, maxAttempts: 1 } },
    });
    responses = new DocumentedResponses((await (await fetch(`${server.url}/v1/openapi.json`)).json()) as OpenApiDocument);
  });
  after(async () => {
    await Promise.all([server.close(), failing.close()]);
    await store.close();
  });

  it("types every success response: a schema of the document's components, never {}", () => {
    for (const [path, operations] of Object.entries(responses.document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const successes = Object.entries(operation.responses).filter(([status]) => status.startsWith("2"));
        assert.ok(successes.length > 0, `${method} ${path} documents no success response`);
        for (const [status, response] of successes) {
          for (const [type, media] of Object.entries(response.content ?? {})) {
            const documented = type === "application/json" ? media.schema : media["x-itemSchema"];
            assert.doesNotThrow(() => DocumentedResponses.schemaOf(documented), `${method} ${path} ${status} ${type} is not typed`);
          }
        }
      }
    }
  });

  it("describes memories, extraction, versions, links, recall, forgetting and stats as they are", async () => {
    const { ana } = keys;
    const boston = {
      text: "I live in Boston",
      speaker: "Ana",
      role: "user",
      sessionId: "chat-1",
      occurredAt: "2024-01-10T09:00:00Z",
      idempotencyKey: "chat-1/1",
      metadata: { channel: "chat", tags: ["home"] },
      attachments: [{ kind: "image", caption: "the harbour", url: "https://example.com/harbour.jpg" }, { kind: "file" }],
    };
    const first = await call<IngestResult>("POST", "/v1/events", ana, [boston, { text: "Water the plants every Sunday", kind: "observation" }], 201);
    const again = await call<IngestResult>("POST", "/v1/events", ana, boston, 201);
    assert.deepEqual([again.duplicates, again.events[0]?.memoryId], [1, first.events[0]?.memoryId]);
    await call<JobRunSummary>("POST", "/v1/jobs/run", ana);
    clock.advance(60_000);
    await call<IngestResult>("POST", "/v1/events", ana, { text: "I live in Denver now", speaker: "Ana", occurredAt: "2024-02-01" }, 201);
    const run = await call<JobRunSummary>("POST", "/v1/jobs/run", ana);
    assert.ok(run.done >= 1 && run.created >= 1, JSON.stringify(run));
    await call<JobRecord[]>("GET", "/v1/jobs?status=done&limit=10", ana);
    await call<{ replayed: number }>("POST", "/v1/jobs/replay", ana);

    const facts = await call<MemoryPage>("GET", "/v1/memories?kind=fact", ana);
    const denver = facts.items.find((item) => /Denver/.test(item.text));
    assert.ok(denver, JSON.stringify(facts));
    const links = await call<MemoryLink[]>("GET", `/v1/memories/${denver.id}/links`, ana);
    assert.ok(links.length > 0, "extraction links the new fact to the one it replaces");
    const paged = await call<MemoryPage>("GET", "/v1/memories?limit=1", ana);
    assert.ok(paged.nextCursor !== null);
    await call<MemoryPage>(`GET`, `/v1/memories?limit=1&cursor=${encodeURIComponent(paged.nextCursor)}`, ana);

    const episode = first.events[0]!.memoryId;
    clock.advance(60_000);
    // The farthest time a Date holds: its year takes six digits and a sign.
    const updated = await call<MemoryRecord>("PATCH", `/v1/memories/${episode}`, ana, { expectedVersion: 1, importance: 0.9, validTo: 8.64e15, metadata: { channel: "email" } });
    assert.deepEqual([updated.version, updated.replacesVersion, updated.validTo], [2, 1, "+275760-09-13T00:00:00.000Z"]);
    const old = await call<MemoryRecord>("GET", `/v1/memories/${episode}?version=1`, ana);
    assert.ok(old.supersededAt !== null && old.origin?.attachments.length === 2);
    await call<MemoryRecord[]>("GET", `/v1/memories/${episode}/history`, ana);
    const recalled = await call<RecallResult>("POST", "/v1/recall", ana, { query: "Where does Ana live?", budgetTokens: 300, timeRange: { from: "2024-01-01" } });
    assert.ok(recalled.items.length > 0);

    const plants = first.events[1]!.memoryId;
    const forgotten = await call<ForgetResult>("DELETE", `/v1/memories/${plants}`, ana);
    assert.equal(forgotten.versionsPurged, 1);
    const tombstone = await call<MemoryRecord>("GET", `/v1/memories/${plants}`, ana);
    assert.deepEqual([tombstone.text, tombstone.origin, tombstone.forgottenAt], ["", null, forgotten.forgottenAt]);
    await call("GET", "/v1/memories/mem_nowhere", ana, undefined, 404);
    await call("PATCH", `/v1/memories/${episode}`, ana, { expectedVersion: 1, text: "stale" }, 409);
    await call("POST", "/v1/recall", ana, { query: "" }, 400);
    const stats = await call<MemoryStats>("GET", "/v1/stats", ana);
    assert.ok((stats.memoriesByKind.fact ?? 0) >= 1 && stats.forgotten === 1, JSON.stringify(stats));
  });

  it("describes spaces, members, review and scored admission", async () => {
    const { ana, bob } = keys;
    await call<SpaceRecord>("POST", "/v1/spaces", ana, { name: "team", members: [{ principal: "bob", role: "write" }], admission: { mode: "review" } });
    await call<SpaceRecord>("POST", "/v1/spaces", ana, { name: "notice-board", type: "global", everyone: "read" });
    await call<SpaceRecord>("POST", "/v1/spaces", ana, { name: "ana-notes", type: "private" });
    const spaces = await call<SpaceRecord[]>("GET", "/v1/spaces", bob);
    assert.deepEqual(spaces.map((space) => space.name).sort(), ["default", "notice-board", "team"]);
    await call<SpaceDetails>("PUT", "/v1/spaces/team/members/carol", ana, { role: "read" });
    await call<SpaceDetails>("DELETE", "/v1/spaces/team/members/carol", ana);
    await call("PUT", "/v1/spaces/team/members/dan", bob, { role: "read" }, 403);
    const team = await call<SpaceDetails>("GET", "/v1/spaces/team", bob);
    assert.deepEqual(team.members.map((member) => [member.principal, member.role]), [["ana", "admin"], ["bob", "write"]]);

    const held = await call<IngestResult>("POST", "/v1/events", bob, [{ text: "The staging database moved to db2", space: "team" }, { text: "Lunch is at noon", space: "team" }], 201);
    const pending = await call<MemoryPage>("GET", "/v1/memories?space=team&admission=pending", ana);
    assert.equal(pending.items.length, 2);
    const approved = await call<MemoryRecord>("POST", `/v1/memories/${held.events[0]!.memoryId}/approve`, ana, { why: "checked with ops" });
    const rejected = await call<MemoryRecord>("POST", `/v1/memories/${held.events[1]!.memoryId}/reject`, ana, {});
    assert.deepEqual([approved.admission.decidedBy, rejected.admission.status], ["ana", "rejected"]);

    await call<SpaceDetails>("PUT", "/v1/spaces/team/admission", ana, { mode: "scored", threshold: 0.3 });
    const scored = await call<IngestResult>("POST", "/v1/events", bob, { text: "Deploys freeze on Fridays after 3pm", space: "team" }, 201);
    const memory = await call<MemoryRecord>("GET", `/v1/memories/${scored.events[0]!.memoryId}`, bob);
    assert.equal(typeof memory.admission.score, "number", JSON.stringify(memory.admission));
  });

  it("describes dead jobs with their error and the model's reply, and replays them", async () => {
    const { cy } = keys;
    await call<IngestResult>("POST", "/v1/events", cy, { text: "Letters go out on Tuesdays" }, 201, failing.url);
    const run = await call<JobRunSummary>("POST", "/v1/jobs/run", cy, undefined, 200, failing.url);
    assert.equal(run.dead, 1);
    const [dead] = await call<JobRecord[]>("GET", "/v1/jobs?status=dead", cy, undefined, 200, failing.url);
    assert.ok(dead && dead.lastError !== null && dead.lastReply !== null, JSON.stringify(dead));
    assert.deepEqual(await call<{ replayed: number }>("POST", "/v1/jobs/replay", cy, { ids: [dead.id] }, 200, failing.url), { replayed: 1 });
    await call<MemoryStats>("GET", "/v1/stats", cy, undefined, 200, failing.url);
  });

  it("describes each line of an NDJSON ingest's reply, the error line included", async () => {
    const ingest = async (body: string): Promise<unknown[]> => {
      const response = await fetch(`${server.url}/v1/events`, { method: "POST", headers: { authorization: `Bearer ${keys.ana}`, "content-type": "application/x-ndjson" }, body });
      assert.equal(response.status, 200);
      const lines = (await response.text()).split("\n").filter((line) => line !== "").map((line): unknown => JSON.parse(line));
      for (const line of lines) responses.check("POST", "/v1/events", 200, "application/x-ndjson", line);
      return lines;
    };
    const lines = await ingest(`${JSON.stringify({ text: "Streamed one", idempotencyKey: "s-1" })}\n${JSON.stringify({ text: "Streamed two" })}\n`);
    assert.deepEqual(lines.at(-1), { done: true, inserted: 2, duplicates: 0 });
    const broken = await ingest(`${JSON.stringify({ text: "Streamed three" })}\nnot json\n`);
    assert.equal((broken.at(-1) as { error: { code: string } }).error.code, "invalid_input");
  });

  it("describes the data of every event of the change stream", async () => {
    const { lastChangeSeq } = await call<MemoryStats>("GET", "/v1/stats", keys.ana);
    const abort = new AbortController();
    const response = await fetch(`${server.url}/v1/changes?since=0`, { headers: { authorization: `Bearer ${keys.ana}` }, signal: abort.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const operations = new Set<string>();
    let buffer = "";
    for (let seq = 0; seq < lastChangeSeq; ) {
      const { value, done } = await reader.read();
      assert.ok(!done, `the stream ended at ${seq} of ${lastChangeSeq}`);
      buffer += decoder.decode(value, { stream: true });
      const blocks = buffer.split("\n\n");
      buffer = blocks.pop()!;
      for (const block of blocks.filter((text) => !text.startsWith(":"))) {
        const field = (name: string): string => block.split("\n").find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2) ?? "";
        const change = JSON.parse(field("data")) as ChangeEvent;
        responses.check("GET", "/v1/changes", 200, "text/event-stream", change);
        assert.deepEqual([field("id"), field("event")], [String(change.seq), change.operation]);
        operations.add(change.operation);
        seq = change.seq;
      }
    }
    abort.abort();
    assert.deepEqual([...operations].sort(), ["memory.admitted", "memory.created", "memory.forgotten", "memory.rejected", "memory.updated", "space.created", "space.updated"]);
  });

  it("has checked a reply of every documented success response", () => {
    const documented = Object.entries(responses.document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) =>
        Object.entries(operation.responses)
          .filter(([status, response]) => status.startsWith("2") && response.content !== undefined)
          .map(([status]) => `${method} ${path} ${status}`),
      ),
    );
    assert.deepEqual(documented.filter((operation) => !responses.checked.has(operation)), []);
  });
});
