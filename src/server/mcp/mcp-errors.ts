import { ErrorCode, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { MemoryError, type MemoryErrorCode } from "../../domain/memory-error.js";

/** Called with every error that is not a MemoryError: the client gets a generic message, the operator this. */
export type UnexpectedErrorHandler = (error: unknown) => void;

/** The MCP spec's code for a resource that does not exist. */
const RESOURCE_NOT_FOUND = -32002;

const UNEXPECTED = "mnemo failed unexpectedly; the call may not have been applied. The server's log has the details.";

/**
 * A failed tool call as a tool result (`isError`), so the model reads what went wrong and can fix its
 * call. Only MemoryErrors say what failed; anything else may hold internals and is reported generically.
 */
export function toolError(error: unknown, onUnexpected: UnexpectedErrorHandler): CallToolResult {
  if (!(error instanceof MemoryError)) {
    onUnexpected(error);
    return { isError: true, content: [{ type: "text", text: `internal: ${UNEXPECTED}` }] };
  }
  const details = Object.keys(error.details).length === 0 ? "" : ` ${JSON.stringify(error.details)}`;
  return { isError: true, content: [{ type: "text", text: `${error.code}: ${error.message}${details}` }] };
}

/** A failed resource request as a JSON-RPC error; `data.code` is the MemoryError code. */
export function requestError(error: unknown, onUnexpected: UnexpectedErrorHandler): McpError {
  if (error instanceof McpError) return error;
  if (!(error instanceof MemoryError)) {
    onUnexpected(error);
    return new McpError(ErrorCode.InternalError, UNEXPECTED, { code: "internal" });
  }
  return new McpError(rpcCode(error.code), error.message, { code: error.code, details: error.details });
}

function rpcCode(code: MemoryErrorCode): number {
  if (code === "not_found" || code === "space_not_found") return RESOURCE_NOT_FOUND;
  if (code === "invalid_input" || code === "too_large") return ErrorCode.InvalidParams;
  return ErrorCode.InternalError;
}
