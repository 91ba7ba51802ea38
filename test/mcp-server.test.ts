import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { createMemory, type Memory } from "../src/index.js";
import { issueApiKey } from "../src/server/api-keys.js";
import { serveHttp, type HttpServer } from "../src/server/http/serve-http.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { MemoryStore } from "../src/store/store.js";
import { call, connectHttp, textOf, updates, type HttpMcpClient } from "./support/mcp-client.js";
import { tempDirectory } from "./support/memory-fixtures.js";

const TSX = import.meta.resolve("tsx");
const MAIN = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

interface Recalled {
  context: { text: string };
  items: { memoryId: string; author: string; space: string; version: number; sourceEventIds: string[] }[];
}

describe("MCP over Streamable HTTP at /v1/mcp", () => {
  let directory: Awaited<ReturnType<typeof tempDirectory>>;
  let store: MemoryStore;
  let server: HttpServer;
  let bob: Memory;
  const keys = { ana: "", bob: "", eve: "" };
  const clients: HttpMcpClient[] = [];
  const connect = async (key: string | null): Promise<HttpMcpClient> => {
    const connected = await connectHttp(`${server.url}/v1/mcp`, key);
    clients.push(connected);
    return connected;
  };
  const remember = async (client: Client, text: string): Promise<string> => {
    const result = await call(client, "remember", { text, speaker: "Ana" });
    assert.equal(result.isError, undefined, textOf(result));
    return (result.structuredContent as { memoryId: string }).memoryId;
  };

  before(async () => {
    directory = await tempDirectory("mnemo-mcp-");
    store = await openSqliteStore({ path: join(directory.path, "mnemo.db") });
    keys.ana = (await issueApiKey(store, { tenantId: "acme", principalId: "ana", name: "ana" }, 0)).key;
    keys.bob = (await issueApiKey(store, { tenantId: "acme", principalId: "bob", name: "bob" }, 0)).key;
    keys.eve = (await issueApiKey(store, { tenantId: "rival", principalId: "eve", name: "eve" }, 0)).key;
    server = await serveHttp({ store, port: 0, drainMs: 200, memory: { extraction: false } });
    bob = await createMemory({ store, tenant: "acme", principal: "bob", extraction: false });
  });
  after(async () => {
    for (const { client } of clients) await client.close();
    await bob.close();
    await server.close();
    await store.close();
    await directory.remove();
  });

  it("offers the four tools with strict input schemas, and subscribable resources", async () => {
    const { client } = await connect(keys.ana);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ["forget", "list_spaces", "recall", "remember"]);
    const remember = tools.find((tool) => tool.name === "remember")!;
    assert.deepEqual(remember.inputSchema.required, ["text"]);
    assert.equal((remember.inputSchema as { additionalProperties?: unknown }).additionalProperties, false);
    assert.ok(tools.every((tool) => tool.description && tool.outputSchema));
    assert.equal(client.getServerCapabilities()?.resources?.subscribe, true);
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((template) => template.uriTemplate).sort(), ["mnemo://memories/{id}", "mnemo://spaces/{name}"]);
  });

  it("remembers, recalls the context with its provenance, lists spaces and forgets", async () => {
    const { client } = await connect(keys.ana);
    const first = await call(client, "remember", { text: "The deploy key rotates on Mondays", speaker: "Ana", idempotencyKey: "chat-1/1" });
    const { memoryId, eventId, duplicate } = first.structuredContent as { memoryId: string; eventId: string; duplicate: boolean };
    assert.equal(duplicate, false);
    const again = await call(client, "remember", { text: "The deploy key rotates on Mondays", speaker: "Ana", idempotencyKey: "chat-1/1" });
    assert.deepEqual(again.structuredContent, { memoryId, eventId, duplicate: true });

    const recalled = await call(client, "recall", { query: "When does the deploy key rotate?", budgetTokens: 300 });
    assert.match(textOf(recalled), /deploy key rotates on Mondays/);
    assert.match(textOf(recalled), new RegExp(memoryId), "the text content names the ids too");
    const { items, context } = recalled.structuredContent as unknown as Recalled;
    assert.match(context.text, /deploy key rotates on Mondays/);
    const { memoryId: recalledId, author, space, version, sourceEventIds } = items[0]!;
    assert.deepEqual({ recalledId, author, space, version, sourceEventIds }, { recalledId: memoryId, author: "ana", space: "default", version: 1, sourceEventIds: [eventId] });

    const spaceResource = await client.readResource({ uri: "mnemo://spaces/default" });
    const { memories } = JSON.parse((spaceResource.contents[0] as { text: string }).text) as { memories: { id: string }[] };
    assert.ok(memories.some((memory) => memory.id === memoryId), "a space resource lists its newest memories");
    const { resources } = await client.listResources();
    assert.ok(resources.some((resource) => resource.uri === `mnemo://memories/${memoryId}`));

    const spaces = await call(client, "list_spaces");
    assert.ok((spaces.structuredContent as { spaces: { name: string }[] }).spaces.some((space) => space.name === "default"));

    const forgotten = await call(client, "forget", { id: memoryId, expectedVersion: 1 });
    assert.equal((forgotten.structuredContent as { versionsPurged: number }).versionsPurged, 1);
    const after = await call(client, "recall", { query: "deploy key" });
    assert.ok(!(after.structuredContent as unknown as Recalled).items.some((item) => item.memoryId === memoryId));
    const { contents } = await client.readResource({ uri: `mnemo://memories/${memoryId}` });
    assert.notEqual(JSON.parse((contents[0] as { text: string }).text).forgottenAt, null, "the resource is a tombstone now");
  });

  it("answers bad calls with tool errors that carry the engine's code, and keeps serving", async () => {
    const { client } = await connect(keys.ana);
    const missing = await call(client, "forget", { id: "no-such-memory" });
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), /^not_found: /);
    const badDate = await call(client, "remember", { text: "x", occurredAt: "last Tuesday" });
    assert.match(textOf(badDate), /^invalid_input: /);
    const unknownField = await call(client, "remember", { text: "x", colour: "blue" });
    assert.equal(unknownField.isError, true);
    const id = await remember(client, "A memory that moves on");
    await bob.update(id, { expectedVersion: 1, text: "A memory that moved on" });
    const lost = await call(client, "forget", { id, expectedVersion: 1 });
    assert.match(textOf(lost), /^conflict: .*"currentVersion":2/);
    await assert.rejects(client.subscribeResource({ uri: "https://example.com/memories/1" }), (error: Error & { code?: number }) => error.code === -32602);
    assert.equal((await client.listTools()).tools.length, 4);
  });

  it("notifies a subscriber when another principal changes a memory, or writes into a space", async () => {
    const ana = await connect(keys.ana);
    await ana.notificationStream;
    const id = await remember(ana.client, "The staging database lives in Frankfurt");
    const uri = `mnemo://memories/${id}`;
    await ana.client.subscribeResource({ uri });
    await ana.client.subscribeResource({ uri: "mnemo://spaces/default" });

    const updated = ana.nextUpdate(uri);
    await bob.update(id, { expectedVersion: 1, text: "The staging database moved to Dublin" });
    await updated;
    const { contents } = await ana.client.readResource({ uri });
    assert.equal(JSON.parse((contents[0] as { text: string }).text).text, "The staging database moved to Dublin");

    const spaceChanged = ana.nextUpdate("mnemo://spaces/default");
    const posted = await fetch(`${server.url}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${keys.bob}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "Bob wrote this over the HTTP API" }),
    });
    assert.equal(posted.status, 201);
    await spaceChanged;
    await ana.client.unsubscribeResource({ uri });
  });

  it("refuses a missing or invalid key with 401", async () => {
    const response = await fetch(`${server.url}/v1/mcp`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
    assert.equal(response.status, 401);
    await assert.rejects(connectHttp(`${server.url}/v1/mcp`, "mnemo_AAAAAAAAAAAA_" + "a".repeat(43)), (error: Error & { code?: number }) => error.code === 401 && /unauthorized/.test(error.message));
  });

  it("shows another tenant nothing of the first tenant's memories", async () => {
    const ana = await connect(keys.ana);
    const id = await remember(ana.client, "The vault code is 4471");
    const { client } = await connect(keys.eve);
    const recalled = await call(client, "recall", { query: "vault code" });
    assert.deepEqual((recalled.structuredContent as unknown as Recalled).items, []);
    const forget = await call(client, "forget", { id });
    assert.match(textOf(forget), /^not_found: /);
    for (const request of [client.readResource({ uri: `mnemo://memories/${id}` }), client.subscribeResource({ uri: `mnemo://memories/${id}` })]) {
      await assert.rejects(request, (error: Error & { code?: number }) => error.code === -32002 && !error.message.includes("4471"));
    }
    const { contents } = await ana.client.readResource({ uri: `mnemo://memories/${id}` });
    assert.match((contents[0] as { text: string }).text, /4471/, "its owner still reads it");
  });

  it("refuses a session id presented with another key, as if it did not exist", async () => {
    const ana = await connect(keys.ana);
    const sessionId = ana.transport.sessionId!;
    const listTools = (key: string): Promise<Response> =>
      fetch(`${server.url}/v1/mcp`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
    for (const key of [keys.bob, keys.eve]) {
      const response = await listTools(key);
      assert.equal(response.status, 404);
      assert.doesNotMatch(await response.text(), /remember/);
    }
    assert.equal((await listTools(keys.ana)).status, 200);
  });
});

describe("mnemo mcp on stdio", () => {
  it("remembers, recalls and notifies a subscriber of a change another process commits", async () => {
    const directory = await tempDirectory("mnemo-mcp-stdio-");
    const db = join(directory.path, "mnemo.db");
    const transport = new StdioClientTransport({ command: process.execPath, args: ["--import", TSX, MAIN, "mcp", "--db", db, "--principal", "ana"], cwd: directory.path, stderr: "pipe" });
    let stderr = "";
    transport.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const client = new Client({ name: "mnemo-test", version: "1" });
    const other = { memory: null as Memory | null };
    try {
      await client.connect(transport);
      const nextUpdate = updates(client);
      const remembered = await call(client, "remember", { text: "Ana prefers tea over coffee", speaker: "Ana" });
      const id = (remembered.structuredContent as { memoryId: string }).memoryId;
      assert.match(textOf(await call(client, "recall", { query: "What does Ana drink?" })), /prefers tea/);

      await client.subscribeResource({ uri: `mnemo://memories/${id}` });
      const updated = nextUpdate(`mnemo://memories/${id}`);
      other.memory = await createMemory({ path: db, principal: "bob", extraction: false });
      await other.memory.update(id, { expectedVersion: 1, text: "Ana prefers green tea" });
      await updated;
    } finally {
      await other.memory?.close();
      await client.close();
      await directory.remove();
    }
    assert.match(stderr, /mnemo mcp: stopped\./, stderr);
  });
});
