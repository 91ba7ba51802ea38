import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encode } from "gpt-tokenizer";
import { assertStrictSchema } from "../../../test/support/assert-strict-schema.js";
import { MemoryError } from "../../domain/memory-error.js";
import { consolidationRequest, type ConsolidationCandidate } from "./consolidation-request.js";
import type { ExistingMemory, ExtractedMemory } from "./extracted-memory.js";

function candidate(text: string, fields: Partial<ExtractedMemory> = {}, validFrom: number | null = Date.UTC(2023, 8, 5)): ConsolidationCandidate {
  return { memory: { kind: "fact", text, keywords: [], tags: [], importance: 0.5, when: null, until: null, sourceEventIds: ["evt_1"], slot: null, ...fields }, validFrom };
}

function existingMemory(id: string, text: string, fields: Partial<ExistingMemory> = {}): ExistingMemory {
  return { id, version: 1, kind: "fact", text, validFrom: "2023-05-01T09:00:00.000Z", validTo: null, slot: null, keywords: [], ...fields };
}

const EXISTING: ExistingMemory[] = [
  existingMemory("mem_home", "Ana lives in Boston.", { slot: "ana|lives in", keywords: ["ana", "boston"] }),
  existingMemory("mem_dog", "Ana has a dog.", { keywords: ["ana", "dog"] }),
  existingMemory("mem_job", "Ana worked at Acme.", { kind: "event", validFrom: null, validTo: "2022-12-31T00:00:00.000Z" }),
];
const CANDIDATES: ConsolidationCandidate[] = [
  candidate("Ana moved to Denver.", { slot: "ana|lives in", keywords: ["ana", "denver"] }),
  candidate("Ana has a dog named Rex.", { kind: "fact", keywords: ["ana", "rex"] }, null),
  candidate("Ana likes the beach.", { kind: "preference" }),
  candidate("Ana has a dog.", {}),
];

const parse = consolidationRequest(CANDIDATES, EXISTING).parse;

/** A reply decision with every field, overridden by `fields`. */
function decision(candidateRef: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { candidate: candidateRef, action: "add", target: null, text: null, links: [], ...fields };
}

/** A reply that decides every candidate of `CANDIDATES`, the first ones replaced by `first`. */
function reply(first: Record<string, unknown>[] = [], refinements: unknown[] = []): Record<string, unknown> {
  const rest = CANDIDATES.slice(first.length).map((_, index) => decision(`c${first.length + index + 1}`));
  return { decisions: [...first, ...rest], refinements };
}

describe("consolidationRequest", () => {
  it("lists existing memories and candidates with refs, kind, dates, slot and keywords", () => {
    const request = consolidationRequest(CANDIDATES.slice(0, 2), EXISTING);
    assert.equal(
      request.user,
      [
        "Existing memories:",
        "m1 (fact; 2023-05-01 – now; ana|lives in) Ana lives in Boston. [ana, boston]",
        "m2 (fact; 2023-05-01 – now) Ana has a dog. [ana, dog]",
        "m3 (event; ? – 2022-12-31) Ana worked at Acme.",
        "",
        "Candidates:",
        "c1 (fact; 2023-09-05; ana|lives in) Ana moved to Denver. [ana, denver]",
        "c2 (fact; ?) Ana has a dog named Rex. [ana, rex]",
      ].join("\n"),
    );
    assert.equal(request.schemaName, "consolidation_plan");
  });

  it("says so when there are no existing memories", () => {
    assert.match(consolidationRequest(CANDIDATES.slice(0, 1), []).user, /^Existing memories:\nnone\n\nCandidates:\nc1 /);
  });

  it("has a strict-mode schema and a system prompt under 350 tokens, the same for every batch", () => {
    const request = consolidationRequest(CANDIDATES, EXISTING);
    assertStrictSchema(request.schema);
    assert.ok(encode(request.system).length < 350, `${encode(request.system).length} tokens`);
    assert.equal(consolidationRequest(CANDIDATES.slice(0, 1), []).system, request.system);
  });

  it("refuses an empty batch of candidates", () => {
    assert.throws(() => consolidationRequest([], EXISTING), (error: unknown) => error instanceof MemoryError && error.code === "invalid_input" && error.details["field"] === "candidates");
  });

  describe("parse", () => {
    it("maps refs to ids and candidate indexes, and returns the decisions in candidate order", () => {
      const plan = parse({
        decisions: [
          decision("c3", { links: [{ type: "same_entity", to: "c1" }] }),
          decision("c2", { action: "update", target: "m2", text: " Ana has a dog named Rex. ", links: [{ type: "same_entity", to: "m1" }] }),
          decision("c4", { action: "noop", target: "m2" }),
          decision("c1", { action: "invalidate", target: "m1", links: [{ type: "updates", to: "m1" }, { type: "updates", to: "m1" }] }),
        ],
        refinements: [{ target: "m3", keywords: ["Acme", "job", "acme"], text: null }],
      });
      assert.deepEqual(plan, {
        decisions: [
          { candidate: 0, action: "invalidate", target: "mem_home", links: [{ type: "updates", to: "mem_home" }] },
          { candidate: 1, action: "update", target: "mem_dog", text: "Ana has a dog named Rex.", links: [{ type: "same_entity", to: "mem_home" }] },
          { candidate: 2, action: "add", links: [{ type: "same_entity", to: { candidate: 0 } }] },
          { candidate: 3, action: "noop", target: "mem_dog" },
        ],
        refinements: [{ target: "mem_job", keywords: ["acme", "job"] }],
      });
    });

    it("lets several candidates be noops of one memory", () => {
      const plan = parse(reply([decision("c1", { action: "noop", target: "m1" }), decision("c2", { action: "noop", target: "m1" })]));
      assert.deepEqual(plan.decisions.slice(0, 2), [
        { candidate: 0, action: "noop", target: "mem_home" },
        { candidate: 1, action: "noop", target: "mem_home" },
      ]);
    });

    it("leaves out refinements that would change nothing", () => {
      const plan = parse(
        reply(
          [],
          [
            { target: "m1", keywords: ["boston", "ana"], text: " Ana lives in Boston." },
            { target: "m2", keywords: null, text: null },
            { target: "m3", keywords: [], text: "Ana worked at Acme as an engineer." },
          ],
        ),
      );
      assert.deepEqual(plan.refinements, [{ target: "mem_job", text: "Ana worked at Acme as an engineer." }]);
    });

    const rejected: { name: string; reply: unknown; message: string }[] = [
      { name: "a reply that is not an object", reply: [], message: "reply: must be an object, got an array" },
      { name: "no refinements list", reply: { decisions: reply().decisions }, message: "refinements: must be an array, got nothing" },
      { name: "a missing candidate", reply: { decisions: [decision("c1"), decision("c3")], refinements: [] }, message: "decisions: no decision for c2, c4; give exactly one per candidate (c1–c4)" },
      { name: "a candidate decided twice", reply: reply([decision("c1"), decision("c1")]), message: "decisions[1].candidate: c1 already has a decision (decisions[0]); give exactly one per candidate" },
      { name: "an unknown candidate", reply: reply([decision("c5")]), message: 'decisions[0].candidate: "c5" is not a candidate (c1–c4)' },
      { name: "an unknown action", reply: reply([decision("c1", { action: "merge", target: "m1" })]), message: 'decisions[0].action: must be one of "add", "update", "invalidate", "noop", got "merge"' },
      { name: "an update without a target", reply: reply([decision("c1", { action: "update", text: "Ana lives in Denver." })]), message: 'decisions[0].target: must name the memory (m1–m3) that the "update" is about, got null' },
      { name: "a candidate as target", reply: reply([decision("c1", { action: "invalidate", target: "c2" })]), message: 'decisions[0].target: "c2" is not an existing memory (m1–m3)' },
      { name: "an unknown target", reply: reply([decision("c1", { action: "noop", target: "m4" })]), message: 'decisions[0].target: "m4" is not an existing memory (m1–m3)' },
      { name: "an add with a target", reply: reply([decision("c1", { target: "m1" })]), message: 'decisions[0].target: must be null for "add", got "m1"; to relate the candidate to a memory, use a link' },
      { name: "an update without text", reply: reply([decision("c2", { action: "update", target: "m2" })]), message: 'decisions[0].text: must be the merged statement for "update", got null' },
      { name: "a text on a noop", reply: reply([decision("c1", { action: "noop", target: "m1", text: "Ana lives in Boston." })]), message: 'decisions[0].text: must be null for "noop" (only an update gives a text), got "Ana lives in Boston."' },
      { name: "links on a noop", reply: reply([decision("c1", { action: "noop", target: "m1", links: [{ type: "same_entity", to: "m2" }] })]), message: 'decisions[0].links: must be [] for "noop": the candidate is not stored, so it has nothing to link from' },
      { name: "an unknown link type", reply: reply([decision("c1", { links: [{ type: "related", to: "m2" }] })]), message: 'decisions[0].links[0].type: must be one of "same_entity", "updates", "contradicts", "part_of", "follows", got "related"' },
      { name: "a link to an unknown ref", reply: reply([decision("c1", { links: [{ type: "follows", to: "mem_dog" }] })]), message: 'decisions[0].links[0].to: "mem_dog" is not an existing memory (m1–m3)' },
      { name: "a link to neither kind of ref", reply: reply([decision("c1", { links: [{ type: "follows", to: "x1" }] })]), message: 'decisions[0].links[0].to: "x1" is not an existing memory (m1–m3) or a candidate (c1–c4)' },
      { name: "a link to the candidate itself", reply: reply([decision("c1", { links: [{ type: "same_entity", to: "c1" }] })]), message: "decisions[0].links[0].to: c1 is the candidate itself; a link must go to another memory or candidate" },
      { name: "a link to the memory an update rewrites", reply: reply([decision("c1", { action: "update", target: "m1", text: "Ana lives in Denver.", links: [{ type: "updates", to: "m1" }] })]), message: "decisions[0].links[0].to: m1 is the memory this update rewrites; a link must go to another memory or candidate" },
      { name: "a link to a noop candidate", reply: reply([decision("c1", { links: [{ type: "same_entity", to: "c4" }] }), decision("c2"), decision("c3"), decision("c4", { action: "noop", target: "m2" })]), message: "decisions[0].links[0].to: c4 is a noop, so it is not stored; link to m2, which already says it, instead" },
      { name: "two rewrites of one memory", reply: reply([decision("c1", { action: "invalidate", target: "m1" }), decision("c2", { action: "update", target: "m1", text: "Ana lives in Boston with Rex." })]), message: "decisions[1].target: m1 is already the target of c1's invalidate; a memory can be updated or invalidated by one candidate only" },
      { name: "a refinement of a candidate", reply: reply([], [{ target: "c1", keywords: ["ana"], text: null }]), message: 'refinements[0].target: "c1" is not an existing memory (m1–m3)' },
      { name: "a refinement of a memory the plan rewrites", reply: reply([decision("c1", { action: "invalidate", target: "m1" })], [{ target: "m1", keywords: ["home"], text: null }]), message: "refinements[0].target: m1 is already rewritten by c1's decision; put the improvement there, or leave it out" },
      { name: "two refinements of one memory", reply: reply([], [{ target: "m2", keywords: ["rex"], text: null }, { target: "m2", keywords: null, text: "Ana has a dog, Rex." }]), message: "refinements[1].target: m2 is already refined by refinements[0]; give one refinement per memory" },
      { name: "refined keywords that are not strings", reply: reply([], [{ target: "m2", keywords: "rex", text: null }]), message: 'refinements[0].keywords: must be an array, got "rex"' },
    ];
    for (const { name, reply: value, message } of rejected) {
      it(`rejects ${name}, saying where`, () => {
        assert.throws(() => parse(value), { message });
      });
    }

    it("says every candidate is an add when there are no existing memories", () => {
      const request = consolidationRequest(CANDIDATES.slice(0, 1), []);
      assert.throws(() => request.parse({ decisions: [decision("c1", { action: "noop", target: "m1" })], refinements: [] }), { message: 'decisions[0].action: cannot be "noop": there are no existing memories, so every candidate is "add"' });
      assert.throws(() => request.parse({ decisions: [decision("c1", { links: [{ type: "follows", to: "m1" }] })], refinements: [] }), { message: 'decisions[0].links[0].to: "m1" is not an existing memory (there are none)' });
    });
  });
});
