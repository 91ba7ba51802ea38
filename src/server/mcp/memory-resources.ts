import { ResourceTemplate, type McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, McpError, SubscribeRequestSchema, UnsubscribeRequestSchema, type ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import type { Memory } from "../../memory.js";
import { requestError, type UnexpectedErrorHandler } from "./mcp-errors.js";
import { createResourceSubscriptions, type ResourceSubscriptions } from "./resource-subscriptions.js";
import { MEMORY_URI_TEMPLATE, SPACE_URI_TEMPLATE, memoryUri, parseResourceUri, spaceUri, type ResourceTarget } from "./resource-uris.js";

/** How many memories resources/list offers, and a space resource shows: the newest. */
const LISTED_MEMORIES = 50;
const SPACE_MEMORIES = 20;

/**
 * The resources `mnemo://memories/{id}` (the memory's current version; a tombstone once forgotten) and
 * `mnemo://spaces/{name}` (the space, its members and its newest memories), as JSON. Clients may
 * subscribe to either and get `notifications/resources/updated` when it changes. Returns the
 * subscriptions, to close with the session.
 */
export function registerMemoryResources(server: McpServer, memory: Memory, onUnexpected: UnexpectedErrorHandler): ResourceSubscriptions {
  const guard = async (run: () => Promise<ReadResourceResult>): Promise<ReadResourceResult> => {
    try {
      return await run();
    } catch (error) {
      throw requestError(error, onUnexpected);
    }
  };
  const json = (uri: URL, value: unknown): ReadResourceResult => ({ contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(value, null, 2) }] });

  server.registerResource(
    "memory",
    new ResourceTemplate(MEMORY_URI_TEMPLATE, {
      list: async () => {
        const { items } = await memory.list({ limit: LISTED_MEMORIES });
        return {
          resources: items.map((record) => ({
            uri: memoryUri(record.id),
            name: record.id,
            title: record.text.length > 80 ? `${record.text.slice(0, 79)}…` : record.text,
            description: `${record.kind} in ${record.space} by ${record.author}, version ${record.version}`,
            mimeType: "application/json",
          })),
        };
      },
    }),
    { title: "A memory", description: "A memory's current version with its provenance, as JSON; subscribe to hear when it is updated, reviewed or forgotten.", mimeType: "application/json" },
    (uri) => guard(async () => json(uri, await memory.get(expect(uri, "memory").id))),
  );

  server.registerResource(
    "space",
    new ResourceTemplate(SPACE_URI_TEMPLATE, {
      list: async () => ({
        resources: (await memory.spaces.list()).map((space) => ({
          uri: spaceUri(space.name),
          name: space.name,
          description: `${space.type} space; your role: ${space.role}`,
          mimeType: "application/json",
        })),
      }),
    }),
    { title: "A memory space", description: `A space, its members and its ${SPACE_MEMORIES} newest memories, as JSON; subscribe to hear of every change in it.`, mimeType: "application/json" },
    (uri) =>
      guard(async () => {
        const { name } = expect(uri, "space");
        const space = await memory.spaces.get(name);
        const { items } = await memory.list({ spaces: [name], limit: SPACE_MEMORIES });
        return json(uri, { space, memories: items });
      }),
  );

  const subscriptions = createResourceSubscriptions(memory, (uri) => server.server.sendResourceUpdated({ uri }), onUnexpected);

  server.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    const { uri } = request.params;
    const target = parseResourceUri(uri);
    if (!target) throw unknownUri(uri);
    try {
      // Only what the principal may read can be subscribed to: a wrong id is an error now, not silence later.
      if (target.type === "memory") await memory.get(target.id);
      else await memory.spaces.get(target.name);
      subscriptions.add(uri, target);
    } catch (error) {
      throw requestError(error, onUnexpected);
    }
    return {};
  });

  server.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    subscriptions.remove(request.params.uri);
    return {};
  });

  return subscriptions;
}

/** The target of a URI the SDK matched against one of the templates. */
function expect<T extends ResourceTarget["type"]>(uri: URL, type: T): Extract<ResourceTarget, { type: T }> {
  const target = parseResourceUri(uri.href);
  if (target?.type !== type) throw unknownUri(uri.href);
  return target as Extract<ResourceTarget, { type: T }>;
}

function unknownUri(uri: string): McpError {
  return new McpError(ErrorCode.InvalidParams, `${uri} is not a mnemo resource. Use ${MEMORY_URI_TEMPLATE} or ${SPACE_URI_TEMPLATE} (names percent-encoded).`);
}
