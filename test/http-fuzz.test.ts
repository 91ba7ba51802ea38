import assert from "node:assert/strict";
import { Agent, request as httpRequest } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { isDeepStrictEqual } from "node:util";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { createMemory } from "../src/memory.js";
import { issueApiKey } from "../src/server/api-keys.js";
import { serveHttp, type HttpServer } from "../src/server/http/serve-http.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { MemoryStore } from "../src/store/store.js";
import { fuzzEndpoints, fuzzRequest, type FuzzContext, type FuzzRequest, type OpenApiDocument } from "./support/fuzz-requests.js";
import { tempDirectory } from "./support/memory-fixtures.js";

// Replay a failure with MNEMO_FUZZ_SEED=<seed> MNEMO_FUZZ_ONLY=<index,…> node scripts/run-tests.mjs http-fuzz.
const SEED = Number(process.env["MNEMO_FUZZ_SEED"] ?? 20_240_301);
const ONLY = process.env["MNEMO_FUZZ_ONLY"]?.split(",").map(Number);
const COUNT = Number(process.env["MNEMO_FUZZ_REQUESTS"] ?? 10_400);
const IN_FLIGHT = 16;
const MAX_BODY_BYTES = 1_048_576;
const TENANT = "acme";
const READER = "rita";
/** In every text tenant A writes: no answer to anyone but tenant A's reader may contain it. */
const MARKER = "acme-secret";
/** Error codes the API answers with a 5xx; an NDJSON stream reports them in its last line, after a 200. */
const SERVER_ERROR_CODES = new Set(["internal", "storage", "schema_version", "closed", "provider"]);

interface Outcome {
  status?: number;
  /** Raw requests: every status line the connection answered with (pipelined requests get several). */
  statuses?: number[];
  body?: string;
  error?: string;
  /** An MCP session the request opened: the fuzz closes it, as a client would, so the per-key cap is not what it tests. */
  session?: string;
  /** A network error on a kept-alive connection: the request answered on it before, to tell in the report. */
  after?: FuzzRequest;
  ms: number;
}

describe("the HTTP API under fuzz", () => {
  let store: MemoryStore;
  let server: HttpServer;
  let remove: () => Promise<void>;
  let path: string;
  let context: FuzzContext;
  let resourcesBefore: string[];

  before(async () => {
    const directory = await tempDirectory("mnemo-fuzz-");
    remove = directory.remove;
    path = join(directory.path, "fuzz.db");
    // The fuzz is not about durability: without an fsync per commit, 10,000 requests fit in seconds.
    store = await openSqliteStore({ path, durability: "normal" });
    // Tenant A's own space is made read-only for everyone but its creator before any principal opens it,
    // so the reader has nowhere to write in the data that was there before the fuzz.
    const setup = await createMemory({ store, tenant: TENANT, principal: "ana", defaultSpace: "ana-notes", extraction: false });
    await setup.spaces.create("default", { type: "global", everyone: "read" });
    await setup.close();
    const key = async (tenantId: string, principalId: string): Promise<string> => (await issueApiKey(store, { tenantId, principalId, name: principalId }, 0)).key;
    const [ana, bob, rita, eve] = [await key(TENANT, "ana"), await key(TENANT, "bob"), await key(TENANT, READER), await key("rival", "eve")];
    const revoked = await issueApiKey(store, { tenantId: TENANT, principalId: "old", name: "old" }, 0);
    await store.revokeApiKey(revoked.record.id, 1);
    resourcesBefore = activeResources();
    // Extraction runs in the background as under `mnemo serve`: its jobs are part of what must not break.
    // The rate limit is raised so that most requests reach the endpoints, not the limiter.
    server = await serveHttp({ store, port: 0, drainMs: 1_000, rateLimit: { requestsPerSecond: 1_000 } });

    const ids = await writeTenantA(server.url, { ana, bob, rita });
    const call = (method: string, route: string, body?: unknown): Promise<Response> =>
      fetch(`${server.url}${route}`, { method, headers: { authorization: `Bearer ${eve}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const theirs = (await (await call("POST", "/v1/events", [{ text: "eve's first note" }, { text: "eve's second note", sessionId: "s1" }])).json()) as { events: { memoryId: string }[] };
    await call("POST", "/v1/spaces", { name: "rival-team" });
    const document = (await (await fetch(`${server.url}/v1/openapi.json`)).json()) as OpenApiDocument;
    context = {
      seed: SEED,
      document,
      endpoints: fuzzEndpoints(document),
      keys: { garbage: `${rita.slice(0, -4)}AAAA`, revoked: revoked.key, "other-tenant": eve, reader: rita },
      ids: [...ids, ...theirs.events.map((event) => event.memoryId), "mem_nope", "0"],
      spaces: ["default", "research", "ops", "ana-notes", "rival-team", "nowhere", "new-space"],
      principals: ["ana", "bob", READER, "eve", "old", "newcomer"],
      maxBodyBytes: MAX_BODY_BYTES,
    };
  });
  after(async () => {
    // Closing twice is safe: the test closes both itself, to check that nothing outlives them.
    await server.close();
    await store.close();
    await remove();
  });

  it("answers ≥ 10,000 random and malformed requests without a 5xx or a crash, and tenant A's data stays as it was", { timeout: 180_000 }, async () => {
    assert.ok(context.endpoints.length >= 15, "the endpoints come from the OpenAPI document");
    const db = new Database(path, { readonly: true, fileMustExist: true });
    await waitForJobs(db);
    const before = snapshot(db);
    assert.ok((before.get("memories")?.size ?? 0) >= 15, "tenant A has versions to protect");

    const serverLog: string[] = [];
    const crashes: unknown[] = [];
    const logError = console.error;
    console.error = (...parts: unknown[]) => void serverLog.push(parts.map((part) => (part instanceof Error ? part.stack : String(part))).join(" "));
    const onCrash = (error: unknown): number => crashes.push(error);
    process.on("uncaughtException", onCrash).on("unhandledRejection", onCrash);
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const statuses = new Map<string, number>();
    // A request that hangs is named while the run goes on: the test's own timeout would say nothing.
    const inFlight = new Map<number, { request: FuzzRequest; since: number }>();
    const watchdog = setInterval(() => {
      for (const { request, since } of inFlight.values()) if (performance.now() - since > 10_000) console.log(`still waiting after ${Math.round((performance.now() - since) / 1000)} s: ${describeRequest(request)}`);
    }, 5_000);
    const failures: string[] = [];
    const indexes = ONLY ?? Array.from({ length: COUNT }, (_, index) => index);
    const started = performance.now();
    try {
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < indexes.length) {
            const request = fuzzRequest(context, indexes[next++]!);
            inFlight.set(request.index, { request, since: performance.now() });
            const { outcome, problems } = await exchange(server.url, request, agent);
            failures.push(...problems);
            // Raw requests: every status the connection answered with ("100+201", "401+400"), or none.
            const shown = outcome.statuses ? outcome.statuses.join("+") || "raw, no answer" : String(outcome.status ?? outcome.error);
            statuses.set(shown, (statuses.get(shown) ?? 0) + 1);
            inFlight.delete(request.index);
            const problem = judge(request, outcome);
            if (problem) failures.push(`${problem}\n  ${describeRequest(request)}\n  answer: ${shown} ${outcome.body?.slice(0, 300) ?? ""}`);
          }
        }),
      );
    } finally {
      clearInterval(watchdog);
      agent.destroy();
      console.error = logError;
      process.off("uncaughtException", onCrash).off("unhandledRejection", onCrash);
    }
    const seconds = (performance.now() - started) / 1000;
    const histogram = [...statuses].sort(([a], [b]) => a.localeCompare(b)).map(([status, count]) => `${status}: ${count}`).join(", ");
    console.log(`fuzz seed ${SEED}: ${indexes.length} requests in ${seconds.toFixed(1)} s (${Math.round(indexes.length / seconds)}/s); ${histogram}`);

    const replay = `replay one with MNEMO_FUZZ_SEED=${SEED} MNEMO_FUZZ_ONLY=<index,…> node scripts/run-tests.mjs http-fuzz`;
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failed requests (seed ${SEED}; ${replay})`);
    assert.deepEqual(serverLog.slice(0, 10), [], "the server logged no unexpected failure (5xx)");
    assert.deepEqual(crashes, [], "no uncaught exception or unhandled rejection");
    assert.ok(ONLY !== undefined || indexes.length >= 10_000);
    assert.equal((await fetch(`${server.url}/v1/health`)).status, 200, "the server still answers");
    const problems = compareSnapshots(before, snapshot(db));
    db.close();
    assert.deepEqual(problems.slice(0, 20), [], `tenant A's data changed (${problems.length} rows; seed ${SEED})`);

    // What a request leaves running would keep the process alive after a close (a HEAD on /v1/changes once
    // left a change stream and its heartbeat): once the server and the store close, nothing of theirs stays.
    await server.close();
    await store.close();
    await sleep(100);
    assert.deepEqual(activeResources(), resourcesBefore, "no timer or socket outlives the server");
  });
});

function activeResources(): string[] {
  return process.getActiveResourcesInfo().filter((type) => type !== "PipeWrap" && type !== "TTYWrap").sort();
}

/** Tenant A's data, written as its writers: memories in four spaces, versions, a forgotten one, held and approved ones. */
async function writeTenantA(url: string, keys: { ana: string; bob: string; rita: string }): Promise<string[]> {
  const call = async (key: string, method: string, route: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${url}${route}`, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${route}: ${response.status} ${text}`);
    return text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  };
  const ingest = async (key: string, events: object[]): Promise<string[]> => ((await call(key, "POST", "/v1/events", events))["events"] as { memoryId: string }[]).map((event) => event.memoryId);
  await call(keys.ana, "POST", "/v1/spaces", { name: "research", members: [{ principal: "bob", role: "write" }, { principal: READER, role: "read" }], admission: { mode: "review" } });
  await call(keys.ana, "POST", "/v1/spaces", { name: "ops", members: [{ principal: "bob", role: "admin" }, { principal: READER, role: "read" }], admission: { mode: "scored", threshold: 0.4 } });
  const texts = (space: string, count: number): object[] =>
    Array.from({ length: count }, (_, index) => ({ text: `${MARKER}-${space}-${index}: Caroline told Ana on 8 May 2023 that the deploy key rotates on Mondays (${index}).`, space, speaker: "Ana", sessionId: `${space}-s1`, metadata: { n: index } }));
  const ids = [
    ...(await ingest(keys.ana, texts("default", 6))),
    ...(await ingest(keys.ana, texts("research", 3))),
    ...(await ingest(keys.ana, texts("ana-notes", 2))),
    ...(await ingest(keys.bob, texts("ops", 2))),
  ];
  const held = await ingest(keys.bob, texts("research", 2).map((event) => ({ ...event, speaker: "Bob" })));
  await call(keys.ana, "POST", `/v1/memories/${held[0]}/approve`, { why: "checked" });
  await call(keys.ana, "PATCH", `/v1/memories/${ids[0]}`, { expectedVersion: 1, text: `${MARKER}: the deploy key rotates on Tuesdays now` });
  await call(keys.ana, "PATCH", `/v1/memories/${ids[0]}`, { expectedVersion: 2, importance: 0.9, metadata: { checked: true } });
  await call(keys.bob, "PATCH", `/v1/memories/${ids[11]}`, { expectedVersion: 1, text: `${MARKER}: ops runbook moved` });
  await call(keys.ana, "DELETE", `/v1/memories/${ids[1]}`);
  await call(keys.bob, "POST", `/v1/memories/${ids[2]}/feedback`, { used: true });
  // The reader opens its memory now, so that its principal is part of the snapshot.
  await call(keys.rita, "POST", "/v1/recall", { query: "when does the deploy key rotate?" });
  return [...ids, ...held];
}

async function waitForJobs(db: Database.Database): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const row = db.prepare("SELECT count(*) AS open FROM jobs WHERE tenant_id = ? AND status IN ('pending', 'running')").get(TENANT) as { open: number };
    if (row.open === 0) return;
    await sleep(50);
  }
  throw new Error("tenant A's extraction jobs did not finish within 10 s");
}

type Snapshot = Map<string, Map<string, Record<string, unknown>>>;

/** Every row of tenant A in every table that has a tenant_id, keyed by primary key: tables added later are covered too. */
function snapshot(db: Database.Database): Snapshot {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  const result: Snapshot = new Map();
  for (const { name } of tables) {
    const columns = db.prepare(`SELECT name, pk FROM pragma_table_info(?)`).all(name) as { name: string; pk: number }[];
    if (!columns.some((column) => column.name === "tenant_id")) continue;
    const key = columns.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name);
    const rows = db.prepare(`SELECT * FROM "${name}" WHERE tenant_id = ?`).all(TENANT) as Record<string, unknown>[];
    result.set(name, new Map(rows.map((row) => [JSON.stringify(key.map((column) => row[column])), row])));
  }
  return result;
}

/**
 * What changed in the rows that existed before. New rows are allowed only where any principal may write:
 * in spaces made during the fuzz (the reader may create spaces, and then write in them), and principals
 * named as members there. Usage signals are the reader's to give: recall exposure counts, its own verdicts.
 */
function compareSnapshots(before: Snapshot, after: Snapshot): string[] {
  const spaces = new Set([...(before.get("spaces")?.values() ?? [])].map((row) => row["row_id"]));
  const memoryRows = new Set([...(before.get("memories")?.values() ?? [])].map((row) => row["row_id"]));
  const memoryIds = new Set([...(before.get("memories")?.values() ?? [])].map((row) => row["id"]));
  const isNew = (table: string, row: Record<string, unknown>): boolean => {
    if ("space_row" in row) return !spaces.has(row["space_row"]);
    if ("memory_row" in row) return !memoryRows.has(row["memory_row"]);
    if (table === "memory_links") return !memoryIds.has(row["from_id"]) || !memoryIds.has(row["to_id"]);
    return table === "spaces" || table === "principals";
  };
  const comparable = (table: string, row: Record<string, unknown>): Record<string, unknown> => (table === "tenants" ? { ...row, last_seq: null } : row);
  const problems: string[] = [];
  for (const [table, rows] of before) {
    if (table === "memory_recalls") continue;
    const later = after.get(table) ?? new Map();
    const protectedRow = (row: Record<string, unknown>): boolean => table !== "memory_feedback" || row["principal_id"] !== READER;
    for (const [key, row] of rows) {
      const now = later.get(key);
      if (protectedRow(row) && !isDeepStrictEqual(comparable(table, row), now && comparable(table, now))) problems.push(`${table} ${key}: ${JSON.stringify(row)} → ${JSON.stringify(now)}`);
    }
    for (const [key, row] of later) if (!rows.has(key) && protectedRow(row) && !isNew(table, row)) problems.push(`${table} ${key}: added ${JSON.stringify(row)}`);
  }
  return problems;
}

/** Why the outcome is a failure, or null. */
function judge(request: FuzzRequest, outcome: Outcome): string | null {
  const statuses = outcome.statuses ?? (outcome.status === undefined ? [] : [outcome.status]);
  if (statuses.some((status) => status >= 500)) return `#${request.index}: a ${statuses.join("+")}`;
  if (outcome.error !== undefined && !request.oversized && !request.raw) {
    return `#${request.index}: a network error (${outcome.error})${outcome.after ? `, on the connection of ${describeRequest(outcome.after)}` : ""}`;
  }
  const lines = outcome.body?.split("\n") ?? [];
  const streamError = lines.map((line) => safeParse(line)).find((value) => SERVER_ERROR_CODES.has((value as { error?: { code?: string } } | null)?.error?.code ?? ""));
  if (streamError) return `#${request.index}: an NDJSON stream ended with a server error`;
  if (request.auth !== "reader" && outcome.body?.includes(MARKER)) return `#${request.index}: tenant A's text in an answer to ${request.auth}`;
  return null;
}

/**
 * One fuzzed request, inside an MCP session when it asks for one (opened before, closed after, as a client
 * would). The problems are those of these extra steps; the request's own outcome is judged by the caller.
 */
async function exchange(url: string, request: FuzzRequest, agent: Agent): Promise<{ outcome: Outcome; problems: string[] }> {
  const problems: string[] = [];
  const opened = request.mcpSession ? await send(url, mcpInitialize(request), agent) : undefined;
  if (opened?.session) request.headers["mcp-session-id"] = opened.session;
  const openProblem = opened && judge(request, opened);
  if (openProblem) problems.push(`${openProblem} (opening its MCP session)`);
  const outcome = request.raw ? await sendRaw(url, request.raw) : await send(url, request, agent);
  const session = outcome.session ?? opened?.session;
  if (session) {
    const closed = await send(url, { ...request, method: "DELETE", headers: { ...request.headers, "mcp-session-id": session }, body: undefined, chunked: false }, agent);
    // 404: the fuzzed request may have ended the session itself.
    if ((closed.status ?? 500) >= 300 && closed.status !== 404) problems.push(`#${request.index}: closing its MCP session answered ${closed.status ?? closed.error} ${closed.body ?? ""}`);
  }
  return { outcome, problems };
}

/** A valid initialize request with the fuzzed request's key. */
function mcpInitialize(request: FuzzRequest): FuzzRequest {
  const message = { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "fuzz", version: "1" } } };
  const headers = { ...(request.headers["authorization"] ? { authorization: request.headers["authorization"] } : {}), "content-type": "application/json", accept: "application/json, text/event-stream" };
  return { ...request, kind: "MCP initialize", method: "POST", path: "/v1/mcp", headers, body: Buffer.from(JSON.stringify(message)), chunked: false, mcpSession: false };
}

function safeParse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

function describeRequest(request: FuzzRequest): string {
  const body = request.raw ?? request.body;
  const preview = body ? JSON.stringify(body.subarray(0, 400).toString("latin1")) : "none";
  return `#${request.index} (${request.kind}, auth ${request.auth}${request.chunked ? ", chunked" : ""}): ${request.method} ${request.path} headers ${JSON.stringify(request.headers).slice(0, 400)} body ${body?.length ?? 0} bytes ${preview}`;
}

const lastRequestOn = new WeakMap<object, FuzzRequest>();

function send(url: string, request: FuzzRequest, agent: Agent): Promise<Outcome> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<Outcome, "ms">): void => {
      if (!settled) resolve({ ...outcome, ms: performance.now() - started });
      settled = true;
    };
    // Node's client frames a body on GET, DELETE, OPTIONS … only when told how: without a length it sends
    // the bytes bare, and the server reads them as the next request.
    const framing = request.body ? (request.chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(request.body.length) }) : {};
    const headers = { ...request.headers, ...framing };
    const outgoing = httpRequest({ host: hostname, port, method: request.method, path: request.path, headers, agent, timeout: 15_000 });
    let previous: FuzzRequest | undefined;
    outgoing.on("socket", (socket) => {
      previous = lastRequestOn.get(socket);
      lastRequestOn.set(socket, request);
    });
    outgoing.on("response", (response) => {
      const status = response.statusCode ?? 0;
      // A change stream never ends by itself: its status is all the fuzz needs, and closing it tests the abort path.
      if (/text\/event-stream/.test(response.headers["content-type"] ?? "")) {
        outgoing.destroy();
        return finish({ status });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        if (size < 65_536) chunks.push(chunk);
        size += chunk.length;
      });
      const session = response.headers["mcp-session-id"];
      response.on("end", () => finish({ status, body: Buffer.concat(chunks).toString("utf8"), ...(typeof session === "string" ? { session } : {}) }));
      response.on("error", (error: NodeJS.ErrnoException) => finish({ status, error: error.code ?? error.message }));
    });
    outgoing.on("timeout", () => outgoing.destroy(new Error("no answer within 15 s")));
    outgoing.on("error", (error: NodeJS.ErrnoException) => finish({ error: error.code ?? error.message, ...(previous ? { after: previous } : {}) }));
    if (request.body && request.chunked) {
      outgoing.write(request.body.subarray(0, request.body.length >> 1));
      outgoing.end(request.body.subarray(request.body.length >> 1));
    } else {
      outgoing.end(request.body);
    }
  });
}

/** Bytes on a fresh connection, half-closed after them; the statuses of whatever the server answers within a second. */
function sendRaw(url: string, bytes: Buffer): Promise<Outcome> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = "";
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ statuses: [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((match) => Number(match[1])), body: text.slice(0, 300), ms: performance.now() - started });
    };
    const timer = setTimeout(done, 1_000);
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (/text\/event-stream/i.test(text)) done();
    });
    socket.on("error", () => {});
    socket.on("close", done);
    socket.end(bytes);
  });
}
