import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { issueApiKey } from "../src/server/api-keys.js";
import { serveHttp, type HttpServer } from "../src/server/http/serve-http.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { MemoryStore } from "../src/store/store.js";

describe("the HTTP API's rate limits", () => {
  let store: MemoryStore;
  let server: HttpServer;
  let time = 1_700_000_000_000;
  const keys: string[] = [];
  const recall = (key: string): Promise<Response> =>
    fetch(`${server.url}/v1/recall`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: '{"query":"x"}' });

  before(async () => {
    store = await openSqliteStore({ path: ":memory:" });
    for (const principal of ["ana", "bo"]) keys.push((await issueApiKey(store, { tenantId: "acme", principalId: principal, name: principal }, 0)).key);
    server = await serveHttp({ store, port: 0, drainMs: 200, rateLimit: { requestsPerSecond: 0.5, burst: 2 }, now: () => time, memory: { extraction: false } });
  });
  after(async () => {
    await server.close();
    await store.close();
  });

  it("answers 429 with Retry-After once a key has spent its burst, per key, until it has refilled", async () => {
    const [ana, bo] = keys as [string, string];
    assert.deepEqual([(await recall(ana)).status, (await recall(ana)).status], [200, 200]);
    const limited = await recall(ana);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "2");
    const body = (await limited.json()) as { error: { code: string; message: string; details: { retryAfterMs: number } } };
    assert.equal(body.error.code, "rate_limited");
    assert.equal(body.error.details.retryAfterMs, 2_000);
    assert.equal((await recall(bo)).status, 200, "another key is not held back");
    assert.equal((await fetch(`${server.url}/v1/health`)).status, 200, "health is never limited");
    time += 1_999;
    assert.equal((await recall(ana)).status, 429);
    time += 1;
    assert.equal((await recall(ana)).status, 200);
  });

  it("lists 429 among every keyed endpoint's responses", async () => {
    const document = (await (await fetch(`${server.url}/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const operations = Object.values(document.paths).flatMap((path) => Object.values(path));
    assert.ok(operations.length > 10);
    assert.ok(operations.every((operation) => "429" in operation.responses));
  });
});
