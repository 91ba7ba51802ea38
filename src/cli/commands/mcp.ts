import type { Command } from "commander";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createMemory } from "../../memory.js";
import { createMcpServer } from "../../server/mcp/create-mcp-server.js";
import { embedderFromEnvironment } from "../embedder-from-environment.js";
import { llmFromEnvironment } from "../llm-from-environment.js";
import { databasePath, identity } from "../open-memory.js";
import { packageVersion } from "../package-root.js";

/** `mnemo mcp`: an MCP server on stdin and stdout for one principal, until stdin ends or a signal. */
export function registerMcpCommand(program: Command): void {
  program
    .command("mcp")
    .description("Serve MCP on stdin/stdout (tools remember, recall, forget, list_spaces; subscribable resources) as --principal of --tenant")
    .addHelpText(
      "after",
      `
stdout carries the protocol only; messages go to stderr. It stops when stdin ends (the client closes)
or on SIGINT/SIGTERM. Background extraction runs as in mnemo serve. For MCP over HTTP, use mnemo serve:
its endpoint is /v1/mcp, with an API key as for the rest of the API.

Client configuration (e.g. claude_desktop_config.json):
  { "mcpServers": { "mnemo": { "command": "mnemo", "args": ["mcp", "--db", "/path/to/memory.db", "--principal", "assistant"] } } }`,
    )
    .action(async (_flags: unknown, command: Command) => {
      const { tenant, principal } = identity(command);
      const path = databasePath(command);
      const memory = await createMemory({ path, tenant, principal, embedder: embedderFromEnvironment(), llm: llmFromEnvironment() });
      const server = createMcpServer(memory, { version: packageVersion(), onUnexpectedError: (error) => console.error("mnemo mcp: unexpected error:", error) });
      const transport = new StdioServerTransport();
      const stopped = new Promise<string>((resolve) => {
        process.stdin.once("end", () => resolve("stdin ended"));
        process.once("SIGINT", () => resolve("SIGINT"));
        process.once("SIGTERM", () => resolve("SIGTERM"));
        transport.onclose = () => resolve("the transport closed");
      });
      try {
        await server.connect(transport);
        console.error(`mnemo mcp: serving ${path} as ${principal} of ${tenant} on stdio.`);
        const why = await stopped;
        console.error(`mnemo mcp: stopping (${why}): finishing background jobs.`);
      } finally {
        await server.close();
        await memory.close();
      }
      console.error("mnemo mcp: stopped.");
    });
}
