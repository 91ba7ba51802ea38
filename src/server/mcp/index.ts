// mnemo/mcp: an MCP server over one Memory (connect it to any SDK transport), and its Streamable HTTP routes.
export { createMcpServer, type CreateMcpServerOptions } from "./create-mcp-server.js";
export { registerMcpRoutes, MCP_PATH, type McpRoutes, type McpRoutesOptions } from "./mcp-routes.js";
