import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { EVENT_KINDS, EVENT_ROLES, MEMORY_KINDS, type EventKind, type EventRole, type MemoryKind, type RecallResult } from "../../domain/types.js";
import type { Memory } from "../../memory.js";
import { MAX_BUDGET_TOKENS, MAX_LISTED, MAX_RECALL_ITEMS } from "../../recall/validate-recall-options.js";
import { toolError, type UnexpectedErrorHandler } from "./mcp-errors.js";

// Input schemas are checked by the SDK before a handler runs; the engine checks everything again
// (its configured text and query limits, real dates, space names), so these bounds only keep junk out.
const id = z.string().min(1).max(256).describe("A memory id, as remember and recall return it");
const spaceName = z.string().min(1).max(128);
const shortText = z.string().min(1).max(256);
const time = z.string().min(1).max(64).describe('ISO 8601, e.g. "2024-05-08" or "2024-05-08T13:56:00Z" (UTC when no zone is given)');

const RememberInput = z.strictObject({
  text: z.string().min(1).max(1_000_000).describe("What to remember, verbatim: a message, an observation, a decision, a tool result"),
  space: spaceName.optional().describe("The space to write into (see list_spaces); default: the server's default space"),
  kind: z.enum(EVENT_KINDS as [EventKind, ...EventKind[]]).optional().describe("What the text is; default: message"),
  role: z.enum(EVENT_ROLES as [EventRole, ...EventRole[]]).optional().describe("For messages: who in the conversation produced it"),
  speaker: shortText.optional().describe('Who said or produced it, as recall should name them ("Ana", "planner-agent")'),
  sessionId: shortText.optional().describe("The conversation or task it belongs to; recall brings back neighbouring turns of a session"),
  occurredAt: time.optional().describe("When it happened in the world; default: now"),
  idempotencyKey: shortText.optional().describe("Sending the same key again stores nothing and returns the same ids: use it when retrying"),
});

const RecallInput = z.strictObject({
  query: z.string().min(1).max(100_000).describe("What to remember about: a question or a topic, in natural language"),
  spaces: z.array(spaceName).min(1).max(MAX_LISTED).optional().describe("Only these spaces; default: every space you may read"),
  kinds: z.array(z.enum(MEMORY_KINDS as [MemoryKind, ...MemoryKind[]])).min(1).max(MEMORY_KINDS.length).optional().describe("Only memories of these kinds"),
  budgetTokens: z.number().int().min(1).max(MAX_BUDGET_TOKENS).optional().describe("The context never exceeds this many tokens; default: 2000"),
  limit: z.number().int().min(1).max(MAX_RECALL_ITEMS).optional().describe("At most this many memories; default: as many as fit the budget"),
  asOf: time.optional().describe("Answer as the memory stood at this time; default: now"),
});

const ForgetInput = z.strictObject({
  id,
  expectedVersion: z.number().int().min(1).optional().describe("Fail with a conflict instead if the memory changed past this version"),
});

const RememberOutput = z.object({ memoryId: z.string(), eventId: z.string(), duplicate: z.boolean() });

const RecallItemOutput = z.object({
  rank: z.number(),
  memoryId: z.string(),
  version: z.number(),
  kind: z.string(),
  space: z.string(),
  author: z.string(),
  score: z.number(),
  sourceEventIds: z.array(z.string()),
  recordedAt: z.string(),
  validFrom: z.string().nullable(),
});

const RecallOutput = z.object({
  query: z.string(),
  context: z.object({ text: z.string(), tokens: z.number(), budgetTokens: z.number(), tokenizer: z.string() }),
  items: z.array(RecallItemOutput),
  warnings: z.array(z.string()).optional(),
});

const ForgetOutput = z.object({ id: z.string(), forgottenAt: z.string(), versionsPurged: z.number(), eventsPurged: z.number() });

const SpacesOutput = z.object({
  spaces: z.array(z.object({ name: z.string(), type: z.string(), role: z.string(), everyone: z.string().nullable(), createdBy: z.string().nullable(), createdAt: z.string() })),
});

/** remember, recall, forget and list_spaces: each one call on the principal's Memory. */
export function registerMemoryTools(server: McpServer, memory: Memory, onUnexpected: UnexpectedErrorHandler): void {
  const attempt = async (run: () => Promise<CallToolResult>): Promise<CallToolResult> => {
    try {
      return await run();
    } catch (error) {
      return toolError(error, onUnexpected);
    }
  };

  server.registerTool(
    "remember",
    {
      title: "Remember",
      description:
        "Stores something worth remembering in long-term memory: durable and recallable (by you and by the agents you share the space with) as soon as this returns. Returns the new memory's id. Facts, preferences and events are also extracted from it in the background.",
      inputSchema: RememberInput,
      outputSchema: RememberOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (input) =>
      attempt(async () => {
        const { events } = await memory.ingest(input);
        const event = events[0]!;
        const result = { memoryId: event.memoryId, eventId: event.eventId, duplicate: event.duplicate };
        const text = event.duplicate ? `Already remembered (same idempotencyKey): memory ${event.memoryId}.` : `Remembered as memory ${event.memoryId}.`;
        return { content: [{ type: "text", text }], structuredContent: result };
      }),
  );

  server.registerTool(
    "recall",
    {
      title: "Recall",
      description:
        "Searches long-term memory and returns a context ready to use: the most relevant memories within a token budget, stable ones (profile, facts) first, then episodes by time. Also returns where each item came from: memory id, version, kind, space, author, score and source events.",
      inputSchema: RecallInput,
      outputSchema: RecallOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ query, ...options }) =>
      attempt(async () => {
        const result = provenance(await memory.recall(query, options));
        const context = result.context.text === "" ? "Nothing in memory matches this query." : result.context.text;
        return {
          content: [
            { type: "text", text: context },
            { type: "text", text: `Provenance (best first): ${JSON.stringify(result.items)}` },
          ],
          structuredContent: result,
        };
      }),
  );

  server.registerTool(
    "forget",
    {
      title: "Forget",
      description:
        "Deletes a memory for real: its text is purged from every version (and an episode's source event); only a tombstone stays. Use it for what must not be kept, not for what changed: remember the correction instead.",
      inputSchema: ForgetInput,
      outputSchema: ForgetOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ id: memoryId, expectedVersion }) =>
      attempt(async () => {
        const result = await memory.forget(memoryId, expectedVersion === undefined ? {} : { expectedVersion });
        const text = `Forgot memory ${result.id}: purged ${result.versionsPurged} version(s) and ${result.eventsPurged} event(s).`;
        return { content: [{ type: "text", text }], structuredContent: { ...result } };
      }),
  );

  server.registerTool(
    "list_spaces",
    {
      title: "List spaces",
      description: "Lists the memory spaces you may read (private, shared with a team, or global), with your role in each: read, write or admin.",
      inputSchema: z.strictObject({}),
      outputSchema: SpacesOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      attempt(async () => {
        const spaces = (await memory.spaces.list()).map(({ name, type, role, everyone, createdBy, createdAt }) => ({ name, type, role, everyone, createdBy, createdAt }));
        const text = spaces.length === 0 ? "No spaces." : spaces.map((space) => `${space.name} (${space.type}, your role: ${space.role})`).join("\n");
        return { content: [{ type: "text", text }], structuredContent: { spaces } };
      }),
  );
}

/** The recall result with each item cut down to its provenance: the context already holds the text. */
function provenance(result: RecallResult): z.infer<typeof RecallOutput> {
  return {
    query: result.query,
    context: result.context,
    items: result.items.map(({ memory, rank, score }) => ({
      rank,
      memoryId: memory.id,
      version: memory.version,
      kind: memory.kind,
      space: memory.space,
      author: memory.author,
      score,
      sourceEventIds: memory.sourceEventIds,
      recordedAt: memory.recordedAt,
      validFrom: memory.validFrom,
    })),
    ...(result.warnings === undefined ? {} : { warnings: result.warnings }),
  };
}
