import { invalidInput } from "../../domain/memory-error.js";
import type { JsonCompletionRequest, JsonSchema } from "../../providers/llm.js";
import { arrayAt, nullableTextAt, objectAt, oneOf, quote, refAt, refRange, replyError, termsAt, textAt } from "./check-reply.js";
import { EXTRACTED_KINDS, type ExtractedMemory, type SourceTurn } from "./extracted-memory.js";

/** Names the prompt in each memory's provenance; change it whenever the prompt or schema changes. */
export const EXTRACTION_PROMPT_VERSION: string = "extract-1";

/** A reply with more memories than this is rejected: a batch of turns does not hold that many. */
export const MAX_EXTRACTED_MEMORIES = 200;

// Every batch pays for these tokens, so the prompt says only what the schema cannot. Times are left
// as the conversation words them: resolving "last week" against the turn's date is done in code.
const SYSTEM = `Extract long-term memories from conversation turns. Each input line is: ref date (UTC) speaker: text.

Keep what is worth remembering for months: facts about people and the world, preferences, procedures (how someone does something), events (what happened). Skip small talk, greetings and what matters only in the moment. Do not invent anything. An empty list is fine.

For each memory:
- kind: fact, preference, procedure or event.
- text: one self-contained statement in the third person, with names instead of pronouns ("Ana moved to Denver with her dog Rex.").
- keywords: the names and key terms, lower-case.
- tags: a few short lower-case labels ("home", "pets").
- importance: 0 to 1; high for identity, health, relationships, plans and commitments; low for minor details.
- when: when it happened or became true, in the turn's own words ("yesterday", "last week", "in May") or as an ISO date; null if not said. Prefer the words: do not compute dates.
- until: when it stopped being true, same forms; null if it still is or is not said.
- slot: for a single-valued attribute, "subject|attribute" in lower case ("ana|lives in", "ana|employer"), so a later change can replace it; else null.
- sources: the refs of the turns it comes from.`;

const NULLABLE_STRING = { type: ["string", "null"] } as const;
const TERMS = { type: "array", items: { type: "string" } } as const;

/** OpenAI strict mode: every object closed, every property required (optional ones are nullable). */
const SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    memories: {
      type: "array",
      items: {
        type: "object",
        properties: {
          kind: { type: "string", enum: EXTRACTED_KINDS },
          text: { type: "string" },
          keywords: TERMS,
          tags: TERMS,
          importance: { type: "number" },
          when: NULLABLE_STRING,
          until: NULLABLE_STRING,
          slot: NULLABLE_STRING,
          sources: TERMS,
        },
        required: ["kind", "text", "keywords", "tags", "importance", "when", "until", "slot", "sources"],
        additionalProperties: false,
      },
    },
  },
  required: ["memories"],
  additionalProperties: false,
};

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/**
 * The request that asks a `LanguageModel` for the memories in a batch of turns. The turns are listed one
 * per line as "t1 2023-05-08 (Monday) Ana: …", so the model can cite them by ref; `parse` checks the reply
 * and maps the refs back to the turns' event ids. Unknown properties in the reply are ignored; anything
 * else that does not fit is rejected with its path, so the adapter's retry can tell the model what to fix.
 *
 * @example
 * const { value } = await llm.completeJson(extractionRequest(turns));
 * // [{ kind: "fact", text: "Ana lives in Denver.", sourceEventIds: ["evt_1"], slot: "ana|lives in", … }]
 */
export function extractionRequest(turns: readonly SourceTurn[]): JsonCompletionRequest<ExtractedMemory[]> {
  if (turns.length === 0) throw invalidInput("turns", "must hold at least one turn to extract from.");
  return {
    system: SYSTEM,
    user: turns.map((turn, index) => `t${index + 1} ${dayOf(turn.occurredAt)} ${oneLine(turn.speaker ?? turn.role ?? "unknown")}: ${oneLine(turn.text)}`).join("\n"),
    schema: SCHEMA,
    schemaName: "extracted_memories",
    parse: (value) => parseMemories(value, turns),
  };
}

/** "2023-05-08 (Monday)", in UTC like every stored time. */
function dayOf(ms: number): string {
  const date = new Date(ms);
  return `${date.toISOString().slice(0, 10)} (${WEEKDAYS[date.getUTCDay()]})`;
}

/** A turn's line breaks would read as the start of another turn. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function parseMemories(value: unknown, turns: readonly SourceTurn[]): ExtractedMemory[] {
  if (Array.isArray(value)) throw replyError("reply", 'must be an object { "memories": [...] }, got a bare array');
  const memories = arrayAt("memories", objectAt("reply", value)["memories"], MAX_EXTRACTED_MEMORIES).map((item, index) => parseMemory(`memories[${index}]`, item, turns));
  const byText = new Map<string, ExtractedMemory>();
  for (const memory of memories) {
    const first = byText.get(memory.text);
    // A repeated statement is one memory; what each copy cites is still where it comes from.
    if (first === undefined) byText.set(memory.text, memory);
    else first.sourceEventIds = [...new Set([...first.sourceEventIds, ...memory.sourceEventIds])];
  }
  return [...byText.values()];
}

function parseMemory(path: string, value: unknown, turns: readonly SourceTurn[]): ExtractedMemory {
  const item = objectAt(path, value);
  return {
    kind: oneOf(`${path}.kind`, item["kind"], EXTRACTED_KINDS),
    text: textAt(`${path}.text`, item["text"]),
    keywords: termsAt(`${path}.keywords`, item["keywords"]),
    tags: termsAt(`${path}.tags`, item["tags"]),
    importance: importanceAt(`${path}.importance`, item["importance"]),
    when: nullableTextAt(`${path}.when`, item["when"]),
    until: nullableTextAt(`${path}.until`, item["until"]),
    slot: slotAt(`${path}.slot`, item["slot"]),
    sourceEventIds: sourcesAt(`${path}.sources`, item["sources"], turns),
  };
}

function sourcesAt(path: string, value: unknown, turns: readonly SourceTurn[]): string[] {
  const refs = arrayAt(path, value);
  if (refs.length === 0) throw replyError(path, `must name at least one turn it comes from (${refRange("t", turns.length)})`);
  return [...new Set(refs.map((ref, index) => turns[refAt(`${path}[${index}]`, ref, "t", turns.length, "a turn of this batch")]!.eventId))];
}

function importanceAt(path: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) throw replyError(path, `must be a number from 0 to 1, got ${quote(value)}`);
  return value;
}

/** "Ana | Lives In" is read as "ana|lives in"; a slot without both parts is rejected, as it could never match another. */
function slotAt(path: string, value: unknown): string | null {
  const slot = nullableTextAt(path, value);
  if (slot === null) return null;
  const parts = slot.toLowerCase().split("|").map((part) => part.replace(/\s+/g, " ").trim());
  if (parts.length !== 2 || parts.some((part) => part === "")) throw replyError(path, `must be "subject|attribute" (e.g. "ana|lives in") or null, got ${quote(value)}`);
  return parts.join("|");
}
