import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Memory } from "../../memory.js";
import type { UnexpectedErrorHandler } from "./mcp-errors.js";
import { registerMemoryResources } from "./memory-resources.js";
import { registerMemoryTools } from "./memory-tools.js";

export interface CreateMcpServerOptions {
  /** Reported to clients as the server's version. @default "0.0.0" */
  version?: string;
  /** Errors that are not MemoryErrors (clients get a generic message). @default written to stderr */
  onUnexpectedError?: UnexpectedErrorHandler;
}

const INSTRUCTIONS = `mnemo is long-term memory, shared with the other agents of your spaces.
Call recall before answering anything that may depend on what was said, decided or learned before; cite memory ids when it matters.
Call remember for what is worth keeping: facts, decisions, preferences, outcomes. Retry with the same idempotencyKey; it never stores twice.
Call forget only for what must not be kept. Resources mnemo://memories/{id} and mnemo://spaces/{name} can be subscribed to for live changes.`;

/**
 * An MCP server over one principal's Memory: the tools remember, recall, forget and list_spaces, and the
 * memory and space resources with subscriptions. Connect it to one transport; closing it (or the
 * transport) ends its subscriptions. The Memory stays open: it is the caller's.
 *
 * @example
 * const server = createMcpServer(await createMemory({ path: "memory.db" }));
 * await server.connect(new StdioServerTransport());
 */
export function createMcpServer(memory: Memory, options: CreateMcpServerOptions = {}): McpServer {
  // eslint-disable-next-line no-console -- the operator's log is the only place for internals
  const onUnexpected = options.onUnexpectedError ?? ((error: unknown) => console.error(error));
  const server = new McpServer(
    { name: "mnemo", version: options.version ?? "0.0.0" },
    { capabilities: { resources: { subscribe: true } }, instructions: INSTRUCTIONS },
  );
  registerMemoryTools(server, memory, onUnexpected);
  const subscriptions = registerMemoryResources(server, memory, onUnexpected);
  server.server.onclose = () => subscriptions.close();
  return server;
}
