import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encode } from "gpt-tokenizer";
import { assertStrictSchema } from "../../../test/support/assert-strict-schema.js";
import { chatCompletion, startOpenAITestServer } from "../../testing/openai-test-server.js";
import { MemoryError } from "../../domain/memory-error.js";
import { createOpenAIChat } from "../../providers/openai-compatible/create-openai-chat.js";
import type { SourceTurn } from "./extracted-memory.js";
import { extractionRequest, MAX_EXTRACTED_MEMORIES } from "./extraction-request.js";

function turn(eventId: string, text: string, occurredAt: number, speaker: string | null = "Ana", role: string | null = "user"): SourceTurn {
  return { eventId, text, speaker, role, sessionId: "s1", occurredAt };
}

const MAY_8 = Date.UTC(2023, 4, 8, 13, 56);
const TURNS: SourceTurn[] = [
  turn("evt_a", "I live in Boston.", MAY_8),
  turn("evt_b", "Oh nice!\nHow long?", MAY_8 + 60_000, "Bo"),
  turn("evt_c", "Since 2019. I'm moving to Denver next month.", Date.UTC(2023, 4, 9), null),
  turn("evt_d", "ok", Date.UTC(2023, 4, 9), null, null),
  turn("evt_e", "Good luck!", Date.UTC(2023, 4, 10), "Bo"),
];

/** A reply memory with every field, overridden by `fields`. */
function memory(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: "fact", text: "Ana lives in Boston.", keywords: ["ana", "boston"], tags: ["home"], importance: 0.8, when: null, until: null, slot: "ana|lives in", sources: ["t1"], ...fields };
}

const parse = extractionRequest(TURNS).parse;

describe("extractionRequest", () => {
  it("lists the turns one per line with a ref, the UTC day and weekday, and the speaker", () => {
    const request = extractionRequest(TURNS);
    assert.equal(
      request.user,
      [
        "t1 2023-05-08 (Monday) Ana: I live in Boston.",
        "t2 2023-05-08 (Monday) Bo: Oh nice! How long?",
        "t3 2023-05-09 (Tuesday) user: Since 2019. I'm moving to Denver next month.",
        "t4 2023-05-09 (Tuesday) unknown: ok",
        "t5 2023-05-10 (Wednesday) Bo: Good luck!",
      ].join("\n"),
    );
    assert.equal(request.schemaName, "extracted_memories");
  });

  it("has a strict-mode schema and a system prompt under 350 tokens", () => {
    const request = extractionRequest(TURNS);
    assertStrictSchema(request.schema);
    assert.ok(encode(request.system).length < 350, `${encode(request.system).length} tokens`);
    assert.equal(extractionRequest([TURNS[0]!]).system, request.system, "the system prompt does not depend on the batch, so providers can cache it");
  });

  it("refuses an empty batch", () => {
    assert.throws(() => extractionRequest([]), (error: unknown) => error instanceof MemoryError && error.code === "invalid_input" && error.details["field"] === "turns");
  });

  describe("parse", () => {
    it("maps refs to event ids and normalises texts, keywords, tags and slots", () => {
      const reply = {
        memories: [
          memory({ text: "  Ana lives in Boston.  ", keywords: [" Ana", "BOSTON", "ana", ""], tags: ["Home", "home"], slot: " Ana | Lives  In ", sources: ["t1", "t3", "t1"] }),
          memory({ kind: "event", text: "Ana is moving to Denver.", keywords: ["ana", "denver"], tags: [], importance: 1, when: "next month", until: " ", slot: null, sources: ["t3"] }),
        ],
      };
      assert.deepEqual(parse(reply), [
        { kind: "fact", text: "Ana lives in Boston.", keywords: ["ana", "boston"], tags: ["home"], importance: 0.8, when: null, until: null, slot: "ana|lives in", sourceEventIds: ["evt_a", "evt_c"] },
        { kind: "event", text: "Ana is moving to Denver.", keywords: ["ana", "denver"], tags: [], importance: 1, when: "next month", until: null, slot: null, sourceEventIds: ["evt_c"] },
      ]);
    });

    it("accepts an empty list", () => {
      assert.deepEqual(parse({ memories: [] }), []);
    });

    it("keeps the first of memories with the same text, with the sources of all", () => {
      const memories = parse({ memories: [memory({ sources: ["t1"] }), memory({ text: "Ana lives in Boston. ", importance: 0.2, sources: ["t3"] }), memory({ text: "Bo is polite.", sources: ["t5"] })] });
      assert.deepEqual(
        memories.map((item) => [item.text, item.importance, item.sourceEventIds]),
        [
          ["Ana lives in Boston.", 0.8, ["evt_a", "evt_c"]],
          ["Bo is polite.", 0.8, ["evt_e"]],
        ],
      );
    });

    it("keeps the first 16 keywords and tags", () => {
      const many = Array.from({ length: 20 }, (_, index) => `term${index}`);
      const [parsed] = parse({ memories: [memory({ keywords: many, tags: many })] });
      assert.deepEqual(parsed?.keywords, many.slice(0, 16));
      assert.deepEqual(parsed?.tags, many.slice(0, 16));
    });

    it("ignores properties the schema does not ask for", () => {
      assert.equal(parse({ memories: [memory({ confidence: 0.9 })], note: "done" }).length, 1);
    });

    const rejected: { name: string; reply: unknown; message: string }[] = [
      { name: "a reply that is not an object", reply: "none", message: 'reply: must be an object, got "none"' },
      { name: "a bare array", reply: [memory()], message: 'reply: must be an object { "memories": [...] }, got a bare array' },
      { name: "no memories property", reply: { items: [] }, message: "memories: must be an array, got nothing" },
      { name: "too many memories", reply: { memories: Array.from({ length: MAX_EXTRACTED_MEMORIES + 1 }, () => memory()) }, message: "memories: has 201 items; at most 200 are allowed" },
      { name: "a memory that is not an object", reply: { memories: [memory(), "Ana lives in Boston."] }, message: 'memories[1]: must be an object, got "Ana lives in Boston."' },
      { name: "an unknown kind", reply: { memories: [memory({ kind: "opinion" })] }, message: 'memories[0].kind: must be one of "fact", "preference", "procedure", "event", got "opinion"' },
      { name: "an empty text", reply: { memories: [memory({ text: "  " })] }, message: "memories[0].text: must not be empty" },
      { name: "importance above 1", reply: { memories: [memory({ importance: 1.5 })] }, message: "memories[0].importance: must be a number from 0 to 1, got 1.5" },
      { name: "negative importance", reply: { memories: [memory({ importance: -0.1 })] }, message: "memories[0].importance: must be a number from 0 to 1, got -0.1" },
      { name: "importance as a string", reply: { memories: [memory({ importance: "0.5" })] }, message: 'memories[0].importance: must be a number from 0 to 1, got "0.5"' },
      { name: "a keyword that is not a string", reply: { memories: [memory({ keywords: ["ana", 3] })] }, message: "memories[0].keywords[1]: must be a string, got 3" },
      { name: "a time that is not a string", reply: { memories: [memory({ when: 2023 })] }, message: "memories[0].when: must be a string or null, got 2023" },
      { name: "a slot without an attribute", reply: { memories: [memory({ slot: "ana lives in" })] }, message: 'memories[0].slot: must be "subject|attribute" (e.g. "ana|lives in") or null, got "ana lives in"' },
      { name: "a slot with three parts", reply: { memories: [memory({ slot: "ana|home|city" })] }, message: 'memories[0].slot: must be "subject|attribute" (e.g. "ana|lives in") or null, got "ana|home|city"' },
      { name: "no sources", reply: { memories: [memory({ sources: [] })] }, message: "memories[0].sources: must name at least one turn it comes from (t1–t5)" },
      { name: "a turn outside the batch", reply: { memories: [memory(), memory(), memory({ text: "Bo is polite.", sources: ["t2", "t9"] })] }, message: 'memories[2].sources[1]: "t9" is not a turn of this batch (t1–t5)' },
      { name: "an event id instead of a ref", reply: { memories: [memory({ sources: ["evt_a"] })] }, message: 'memories[0].sources[0]: "evt_a" is not a turn of this batch (t1–t5)' },
      { name: "t0", reply: { memories: [memory({ sources: ["t0"] })] }, message: 'memories[0].sources[0]: "t0" is not a turn of this batch (t1–t5)' },
    ];
    for (const { name, reply, message } of rejected) {
      it(`rejects ${name}, saying where`, () => {
        assert.throws(() => parse(reply), { message });
      });
    }

    it("names the only ref of a one-turn batch", () => {
      assert.throws(() => extractionRequest([TURNS[0]!]).parse({ memories: [memory({ sources: ["t2"] })] }), { message: 'memories[0].sources[0]: "t2" is not a turn of this batch (t1)' });
    });
  });

  it("through the chat adapter: a reply citing an unknown turn is retried with the reason, then accepted", async (t) => {
    const server = await startOpenAITestServer();
    t.after(() => server.close());
    const llm = createOpenAIChat({ baseURL: server.baseURL, model: "test-model" });
    server.script({ body: chatCompletion(JSON.stringify({ memories: [memory({ sources: ["t9"] })] })) }, { body: chatCompletion(JSON.stringify({ memories: [memory()] })) });
    const { value } = await llm.completeJson(extractionRequest(TURNS));
    assert.deepEqual(value.map((item) => item.sourceEventIds), [["evt_a"]]);
    const retry = (server.requests[1]?.body as { messages: { content: string }[] }).messages;
    assert.match(retry.at(-1)?.content ?? "", /rejected: it does not match the schema: memories\[0\]\.sources\[0\]: "t9" is not a turn of this batch \(t1–t5\)/);
  });
});
