import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { OpenAPIHono } from "@hono/zod-openapi";
import { createMemory, type Memory } from "../src/index.js";
import type { HttpEnv, MemoryOf } from "../src/server/http/http-env.js";
import { registerMcpRoutes, type McpRoutes } from "../src/server/mcp/mcp-routes.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { MemoryStore } from "../src/store/store.js";
import { connectHttp, type HttpMcpClient } from "./support/mcp-client.js";

const URL = "http://mcp.test/v1/mcp";
const IDLE_MS = 1_000;

/**
 * The session table of /v1/mcp, in process: an app whose "authentication" takes the principal from a
 * header, a clock the test moves, and clients whose fetch is app.request.
 */
describe("MCP sessions on /v1/mcp", () => {
  let store: MemoryStore;
  let app: OpenAPIHono<HttpEnv>;
  let routes: McpRoutes;
  let time = 0;
  const memories = new Map<string, Promise<Memory>>();
  const clients: HttpMcpClient[] = [];
  const memoryOf: MemoryOf = (scope) => {
    if (!memories.has(scope.principalId)) memories.set(scope.principalId, createMemory({ store, tenant: scope.tenantId, principal: scope.principalId, extraction: false }));
    return memories.get(scope.principalId)!;
  };
  /** A client of `principal`; without `stream` it opens no notification stream (the server answers its GET with 405). */
  const connect = async (principal: string, options: { stream?: boolean } = {}): Promise<HttpMcpClient> => {
    const connected = await connectHttp(URL, null, {
      fetch: async (input, init) => {
        if ((init?.method ?? "GET") === "GET" && !options.stream) return new Response(null, { status: 405 });
        const headers = new Headers(init?.headers);
        headers.set("x-principal", principal);
        return app.request(String(input), { ...init, headers });
      },
    });
    clients.push(connected);
    return connected;
  };

  before(async () => {
    store = await openSqliteStore({ path: ":memory:" });
  });
  beforeEach(() => {
    app = new OpenAPIHono<HttpEnv>();
    app.use("*", async (c, next) => {
      c.set("scope", { tenantId: "acme", principalId: c.req.header("x-principal") ?? "nobody" });
      await next();
    });
    routes = registerMcpRoutes(app, memoryOf, { now: () => time, idleMs: IDLE_MS, maxSessions: 3, maxSessionsPerPrincipal: 2 });
  });
  after(async () => {
    for (const { client } of clients) await client.close();
    await routes.close();
    for (const memory of memories.values()) await (await memory).close();
    await store.close();
  });

  it("closes a session idle for longer than idleMs; each request keeps it alive", async () => {
    const { client } = await connect("ana");
    for (let step = 0; step < 3; step += 1) {
      time += IDLE_MS * 0.75;
      assert.equal((await client.listTools()).tools.length, 4);
    }
    time += IDLE_MS + 1;
    await assert.rejects(client.listTools(), (error: Error & { code?: number }) => error.code === 404);
    await routes.close();
  });

  it("keeps a session whose notification stream is open, however long it is quiet", async () => {
    const listening = await connect("ana", { stream: true });
    await listening.notificationStream;
    time += IDLE_MS * 10;
    await connect("bob"); // its requests sweep the idle sessions
    assert.equal((await listening.client.listTools()).tools.length, 4);
    await routes.close();
  });

  it("bounds the sessions, per principal and in all, and frees a place when one ends", async () => {
    const first = await connect("ana");
    await connect("ana");
    await assert.rejects(connect("ana"), (error: Error & { code?: number }) => error.code === 429 && /Too many open MCP sessions for this principal/.test(error.message));
    await connect("bob");
    await assert.rejects(connect("carol"), (error: Error & { code?: number }) => error.code === 503);
    await first.transport.terminateSession();
    await connect("carol");
    await routes.close();
  });

  it("closes every session on close(), ending their streams, and refuses new ones", async () => {
    const listening = await connect("ana", { stream: true });
    await listening.notificationStream;
    await routes.close();
    await routes.close();
    await listening.notificationStreamEnded;
    await assert.rejects(listening.client.listTools(), (error: Error & { code?: number }) => error.code === 404);
    await assert.rejects(connect("ana"), (error: Error & { code?: number }) => error.code === 503);
  });
});
