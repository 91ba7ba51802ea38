import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ResourceUpdatedNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface HttpMcpClient {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** Resolves once the GET stream that carries notifications is open: a notification sent before is lost. */
  notificationStream: Promise<void>;
  /** Resolves when the server ends that stream. */
  notificationStreamEnded: Promise<void>;
  /** Resolves at the next notifications/resources/updated for `uri`; rejects after `timeoutMs`. */
  nextUpdate: (uri: string, timeoutMs?: number) => Promise<void>;
}

/** An SDK client on Streamable HTTP with an API key; `fetch` defaults to the real one. */
export async function connectHttp(url: string, key: string | null, options: { fetch?: Fetch } = {}): Promise<HttpMcpClient> {
  const baseFetch: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  let opened!: () => void;
  let ended!: () => void;
  const notificationStream = new Promise<void>((resolve) => (opened = resolve));
  const notificationStreamEnded = new Promise<void>((resolve) => (ended = resolve));
  const tracking: Fetch = async (input, init) => {
    const response = await baseFetch(input, init);
    if ((init?.method ?? "GET") !== "GET" || !response.ok || !response.body) return response;
    opened();
    // Passes the stream through, and tells when the server ends it.
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (!done) return controller.enqueue(value);
        ended();
        controller.close();
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: key === null ? {} : { authorization: `Bearer ${key}` } },
    fetch: tracking,
  });
  const client = new Client({ name: "mnemo-test", version: "1" });
  await client.connect(transport);
  return { client, transport, notificationStream, notificationStreamEnded, nextUpdate: updates(client) };
}

/** Waits for resource update notifications on a client; each waiter must be made before the change. */
export function updates(client: Client): (uri: string, timeoutMs?: number) => Promise<void> {
  const waiters = new Set<{ uri: string; resolve: () => void }>();
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
    for (const waiter of [...waiters]) {
      if (waiter.uri !== notification.params.uri) continue;
      waiters.delete(waiter);
      waiter.resolve();
    }
  });
  return (uri, timeoutMs = 5_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`No notifications/resources/updated for ${uri} within ${timeoutMs} ms.`));
      }, timeoutMs);
      const waiter = {
        uri,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      waiters.add(waiter);
    });
}

/** Calls a tool and returns its result (tool errors included: they come back with isError). */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The text of every text block of a tool result, joined by newlines. */
export function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
}
