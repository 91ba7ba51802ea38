import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { MemoryError } from "../../domain/memory-error.js";
import { createHttpApp, type HttpAppOptions } from "./create-http-app.js";

export interface ServeHttpOptions extends HttpAppOptions {
  /** @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. @default 7777 */
  port?: number;
  /** On close, how long requests in flight may take before their connections are cut. @default 5000 */
  drainMs?: number;
  /**
   * A connection with nothing sent either way for this long is closed. An NDJSON upload with nothing to
   * say sends a blank line now and then. @default 120000
   */
  idleTimeoutMs?: number;
}

export interface HttpServer {
  /** e.g. "http://127.0.0.1:7777" */
  url: string;
  /** Stops accepting connections, waits for the open requests, then closes every principal's memory. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * Serves the HTTP API. On an address other than loopback it refuses to start until at least one API key
 * exists: every endpoint but health and the OpenAPI document needs one, and a server nobody can use
 * from outside is a mistake worth stopping.
 */
export async function serveHttp(options: ServeHttpOptions): Promise<HttpServer> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.has(host)) {
    const keys = await options.store.listApiKeys();
    if (!keys.some((key) => key.revokedAt === null)) {
      throw new MemoryError("invalid_input", `host: serving on ${host} needs API keys, and there is none. Make one with mnemo keys create --name <text>, or serve on 127.0.0.1.`, {
        details: { field: "host" },
      });
    }
  }
  const { app, close, closeStreams } = createHttpApp(options);
  // Without createServer options, the adapter makes a node:http server.
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host, port: options.port ?? 7777 }) as Server;
  // Node cuts any request after 5 minutes, which would end long NDJSON uploads and change streams; a
  // connection silent (both ways) for idleTimeoutMs is cut instead. Streams send keep-alives well within it.
  server.requestTimeout = 0;
  server.setTimeout(options.idleTimeoutMs ?? 120_000, (socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 7777, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      closeStreams();
      // Idle keep-alive connections would hold the close open; requests in flight get a grace period,
      // then their connections are cut (a client still sending a refused body would hold it for ever).
      // A connection goes idle when its last response ends (an ended stream's, a drained request's):
      // close those as they go idle, not only the ones idle now.
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 25);
      const grace = setTimeout(() => server.closeAllConnections(), options.drainMs ?? 5_000);
      await closed;
      clearInterval(idle);
      clearTimeout(grace);
      await close();
    },
  };
}
