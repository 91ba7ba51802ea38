import { randomUUID } from "node:crypto";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Memory } from "../../memory.js";
import type { StoreScope } from "../../store/store.js";
import type { HttpRouter, MemoryOf } from "../http/http-env.js";
import { createMcpServer } from "./create-mcp-server.js";
import type { UnexpectedErrorHandler } from "./mcp-errors.js";

/** Where the MCP endpoint is mounted: under /v1, so API keys and the body limit apply to it. */
export const MCP_PATH = "/v1/mcp";

export interface McpRoutesOptions {
  /** Open sessions at most; a new one beyond it is refused (503) until one closes or expires. @default 256 */
  maxSessions?: number;
  /** Open sessions of one principal at most. @default 16 */
  maxSessionsPerPrincipal?: number;
  /** A session with no request in flight and no open stream for this long is closed. @default 30 minutes */
  idleMs?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Reported to clients as the server's version. */
  version?: string;
  onUnexpectedError?: UnexpectedErrorHandler;
}

export interface McpRoutes {
  /** Closes every session (their streams end) and refuses new ones. Safe to call twice. */
  close(): Promise<void>;
}

interface Session {
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  /** The tenant and principal of the key that opened it: no other key may use it. */
  owner: string;
  /** Requests in flight and streams open: a session in use never expires. */
  busy: number;
  lastSeen: number;
}

/**
 * MCP over Streamable HTTP at /v1/mcp, with one session (and one McpServer) per client. A session
 * belongs to the key's tenant and principal: any other key presenting its id gets the answer an unknown
 * id gets (404), so a leaked session id is worth nothing without its key.
 */
export function registerMcpRoutes(app: HttpRouter, memoryOf: MemoryOf, options: McpRoutesOptions = {}): McpRoutes {
  const maxSessions = options.maxSessions ?? 256;
  const maxPerPrincipal = options.maxSessionsPerPrincipal ?? 16;
  const idleMs = options.idleMs ?? 30 * 60_000;
  const now = options.now ?? Date.now;
  // eslint-disable-next-line no-console -- the operator's log is the only place for internals
  const onUnexpected = options.onUnexpectedError ?? ((error: unknown) => console.error(error));
  const sessions = new Map<string, Session>();
  /** The owners of the sessions being opened. */
  const opening: string[] = [];
  let closing: Promise<void> | null = null;

  const closeSession = async (id: string, session: Session): Promise<void> => {
    sessions.delete(id);
    await session.server.close();
  };
  const sweep = (): void => {
    const at = now();
    for (const [id, session] of sessions) if (session.busy === 0 && at - session.lastSeen > idleMs) closeSession(id, session).catch(onUnexpected);
  };
  // Requests sweep too; the timer only frees the sessions of a server nobody calls any more.
  const sweeper = setInterval(sweep, Math.min(idleMs, 60_000));
  sweeper.unref();

  const serve = async (session: Session, request: Request): Promise<Response> => {
    session.busy += 1;
    session.lastSeen = now();
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      session.busy -= 1;
      session.lastSeen = now();
    };
    try {
      const response = await session.transport.handleRequest(request);
      // A stream (the GET one, which carries notifications) keeps the session busy until it ends.
      if (response.body && response.headers.get("content-type")?.startsWith("text/event-stream")) return untilBodyEnds(response, release);
      release();
      return response;
    } catch (error) {
      release();
      throw error;
    }
  };

  const open = async (memory: Memory, owner: string): Promise<Session> => {
    const server = createMcpServer(memory, { version: options.version, onUnexpectedError: onUnexpected });
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      // Replies come back as JSON; the GET stream carries the notifications.
      enableJsonResponse: true,
      onsessioninitialized: (id) => void sessions.set(id, session),
    });
    const session: Session = { server, transport, owner, busy: 0, lastSeen: now() };
    transport.onclose = () => {
      if (transport.sessionId !== undefined && sessions.get(transport.sessionId) === session) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return session;
  };

  app.all(MCP_PATH, async (c) => {
    const owner = ownerOf(c.get("scope"));
    sweep();
    const id = c.req.header("mcp-session-id");
    if (id !== undefined) {
      const session = sessions.get(id);
      if (!session || session.owner !== owner) return rpcError(404, -32001, "Session not found: it ended, expired or belongs to another key. Initialize a new one.");
      return serve(session, c.req.raw);
    }
    if (c.req.method !== "POST") return rpcError(400, -32000, "Send the Mcp-Session-Id header of your session, or initialize one with a POST.");
    if (closing) return rpcError(503, -32000, "The server is shutting down. Reconnect in a moment.");
    // Sessions still opening count too, so that a burst of initialize requests cannot overshoot.
    const owners = [...[...sessions.values()].map((session) => session.owner), ...opening];
    // The client's own sessions are its doing (429); the server's whole cap is the server's (503).
    if (owners.filter((other) => other === owner).length >= maxPerPrincipal) {
      return rpcError(429, -32000, `Too many open MCP sessions for this principal (at most ${maxPerPrincipal}). Close unused ones (DELETE ${MCP_PATH}) or retry later.`);
    }
    if (owners.length >= maxSessions) {
      return rpcError(503, -32000, `Too many open MCP sessions on this server (at most ${maxSessions}). Retry later.`);
    }
    opening.push(owner);
    try {
      const session = await open(await memoryOf(c.get("scope")), owner);
      const response = await serve(session, c.req.raw);
      const sessionId = session.transport.sessionId;
      // Anything but an initialize request leaves the transport without a session: nothing to keep.
      if (sessionId === undefined) await session.server.close();
      else if (closing) await closeSession(sessionId, session);
      return response;
    } finally {
      opening.splice(opening.indexOf(owner), 1);
    }
  });

  return {
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweeper);
        await Promise.all([...sessions].map(([id, session]) => closeSession(id, session)));
      })()),
  };
}

function ownerOf(scope: StoreScope): string {
  return `${scope.tenantId}\u0000${scope.principalId}`;
}

/** An error the way the SDK's transport answers one, so clients handle both alike. */
function rpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status });
}

/** The response, with `onEnd` called once its body is read to the end, fails or is cancelled by the client. */
function untilBodyEnds(response: Response, onEnd: () => void): Response {
  const reader = response.body!.getReader();
  const body = new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      try {
        const { done, value } = await reader.read();
        if (done) {
          onEnd();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        onEnd();
        controller.error(error);
      }
    },
    cancel: (reason) => {
      onEnd();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
