import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { issueApiKey } from "../src/server/api-keys.js";
import { serveHttp, type HttpServer } from "../src/server/http/serve-http.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { MemoryStore } from "../src/store/store.js";
import { callJson, type JsonReply } from "./support/call-json.js";
import { counterIds, manualClock } from "./support/memory-fixtures.js";

describe("jobs over HTTP", () => {
  let store: MemoryStore;
  let server: HttpServer;
  let ana: string;
  let rival: string;
  // The replies are checked field by field below; a loose type keeps those checks readable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = (method: string, path: string, key: string, body?: unknown): Promise<JsonReply<any>> => callJson(server.url, method, path, key, body);

  before(async () => {
    store = await openSqliteStore({ path: ":memory:" });
    ana = (await issueApiKey(store, { tenantId: "acme", principalId: "ana", name: "ana" }, 0)).key;
    rival = (await issueApiKey(store, { tenantId: "rival", principalId: "eve", name: "eve" }, 0)).key;
    const clock = manualClock("2024-03-01T12:00:00Z");
    // The heuristic extractor, run only when asked, so the test sees each job's state.
    server = await serveHttp({ store, port: 0, drainMs: 200, memory: { clock: clock.now, generateId: counterIds(), extraction: { background: false } } });
  });
  after(async () => {
    await server.close();
    await store.close();
  });

  it("lists the key's jobs, runs them, and replays dead ones; another tenant sees none of them", async () => {
    assert.equal((await call("POST", "/v1/events", ana, { text: "I live in Denver now", speaker: "Ana", occurredAt: "2024-02-01" })).status, 201);
    const pending = await call("GET", "/v1/jobs?status=pending", ana);
    assert.equal(pending.status, 200);
    assert.deepEqual(pending.body.map((job: { kind: string; status: string }) => [job.kind, job.status]), [["extract", "pending"]]);
    assert.deepEqual((await call("GET", "/v1/jobs", rival)).body, [], "another tenant's key sees no job");
    assert.deepEqual((await call("POST", "/v1/jobs/run", rival)).body, { done: 0, retrying: 0, dead: 0, created: 0, updated: 0 }, "nor runs one");
    const run = await call("POST", "/v1/jobs/run", ana);
    assert.equal(run.status, 200);
    assert.equal(run.body.done, 1);
    assert.ok(run.body.created >= 1, JSON.stringify(run.body));
    const done = await call("GET", "/v1/jobs?status=done&status=dead&limit=5", ana);
    assert.deepEqual(done.body.map((job: { status: string }) => job.status), ["done"]);
    const facts = await call("GET", "/v1/memories?kind=fact", ana);
    assert.ok(facts.body.items.some((item: { text: string }) => /Denver/.test(item.text)), JSON.stringify(facts.body));
    assert.deepEqual((await call("POST", "/v1/jobs/replay", ana)).body, { replayed: 0 }, "nothing is dead");
    assert.deepEqual((await call("POST", "/v1/jobs/replay", ana, { ids: [pending.body[0].id] })).body, { replayed: 0 }, "a done job is not replayed");
  });

  it("refuses bad job queries with 400 and says what is wrong", async () => {
    const status = await call("GET", "/v1/jobs?status=finished", ana);
    assert.equal(status.status, 400);
    assert.equal(status.body.error.details.field, "status");
    assert.equal((await call("GET", "/v1/jobs?limit=0", ana)).status, 400);
    const ids = await call("POST", "/v1/jobs/replay", ana, { ids: ["1"] });
    assert.equal(ids.status, 400);
    assert.equal(ids.body.error.details.field, "ids.0");
    assert.equal((await call("POST", "/v1/jobs/replay", ana, { ids: [] })).status, 400);
  });
});
