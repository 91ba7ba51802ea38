import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ExistingMemory, ExtractedMemory } from "./extracted-memory.js";
import { planHeuristically } from "./plan-heuristically.js";

const MAY_1 = Date.UTC(2023, 4, 1);
const MAY_8 = Date.UTC(2023, 4, 8);

function candidate(text: string, slot: string | null, keywords: string[] = ["ana"], validFrom: number | null = MAY_8): { memory: ExtractedMemory; validFrom: number | null } {
  return {
    memory: { kind: "fact", text, keywords, tags: [], importance: 0.6, when: null, until: null, sourceEventIds: ["e1"], slot },
    validFrom,
  };
}

function existing(id: string, text: string, slot: string | null, options: Partial<ExistingMemory> = {}): ExistingMemory {
  return { id, version: 1, kind: "fact", text, validFrom: "2023-01-01T00:00:00.000Z", validTo: null, slot, keywords: ["ana"], ...options };
}

describe("planHeuristically", () => {
  it("adds what nothing says yet", () => {
    assert.deepEqual(planHeuristically([candidate("Ana lives in Boston.", "ana|lives in", ["ana", "boston"])], []), {
      decisions: [{ candidate: 0, action: "add", links: [] }],
      refinements: [],
    });
  });

  it("invalidates the old home when the speaker moves (Boston, then Denver)", () => {
    const boston = existing("m1", "Ana lives in Boston.", "ana|lives in", { keywords: ["ana", "boston"] });
    const plan = planHeuristically([candidate("Ana moved to Denver.", "ana|lives in", ["ana", "denver"])], [boston]);
    assert.deepEqual(plan.decisions, [{ candidate: 0, action: "invalidate", target: "m1", links: [{ type: "updates", to: "m1" }] }]);
  });

  it("is a noop when a memory already says it: same text up to case, spaces and the full stop", () => {
    const plan = planHeuristically(
      [candidate("Ana lives in Boston.", "ana|lives in"), candidate("ana  likes TEA", null)],
      [existing("m1", "Ana lives in Boston.", "ana|lives in"), existing("m2", "Ana likes tea.", null)],
    );
    assert.deepEqual(plan.decisions, [
      { candidate: 0, action: "noop", target: "m1" },
      { candidate: 1, action: "noop", target: "m2" },
    ]);
  });

  it("lets likes coexist: their slots name the liked thing", () => {
    const plan = planHeuristically([candidate("Ana likes tea.", "ana|likes|tea")], [existing("m1", "Ana likes sushi.", "ana|likes|sushi")]);
    assert.deepEqual(plan.decisions, [{ candidate: 0, action: "add", links: [{ type: "same_entity", to: "m1" }] }]);
  });

  it("replaces a favourite, and a like with a dislike of the same thing", () => {
    const plan = planHeuristically(
      [candidate("Ana's favorite color is green.", "ana|favorite color"), candidate("Ana does not like olives.", "ana|likes|olives")],
      [existing("m1", "Ana's favorite color is blue.", "ana|favorite color", { keywords: [] }), existing("m2", "Ana loves olives.", "ana|likes|olives", { keywords: [] })],
    );
    assert.deepEqual(
      plan.decisions.map((decision) => [decision.action, "target" in decision ? decision.target : null]),
      [
        ["invalidate", "m1"],
        ["invalidate", "m2"],
      ],
    );
  });

  it("adds old news arriving late without invalidating, linked as a contradiction", () => {
    const denver = existing("m1", "Ana lives in Denver.", "ana|lives in", { validFrom: "2023-05-01T00:00:00.000Z", keywords: [] });
    const plan = planHeuristically([candidate("Ana lives in Boston.", "ana|lives in", [], Date.UTC(2020, 0, 1))], [denver]);
    assert.deepEqual(plan.decisions, [{ candidate: 0, action: "add", links: [{ type: "contradicts", to: "m1" }] }]);
  });

  it("invalidates when either start is unknown, or both are the same", () => {
    const boston = existing("m1", "Ana lives in Boston.", "ana|lives in", { keywords: [] });
    for (const [validFrom, existingFrom] of [[null, "2023-05-01T00:00:00.000Z"], [MAY_1, null], [MAY_1, "2023-05-01T00:00:00.000Z"]] as const) {
      const plan = planHeuristically([candidate("Ana lives in Denver.", "ana|lives in", [], validFrom)], [{ ...boston, validFrom: existingFrom }]);
      assert.equal(plan.decisions[0]?.action, "invalidate", `${validFrom} vs ${existingFrom}`);
    }
  });

  it("leaves memories that no longer hold alone", () => {
    const boston = existing("m1", "Ana lives in Boston.", "ana|lives in", { validTo: "2023-03-01T00:00:00.000Z", keywords: [] });
    // Back in Boston: the old, closed memory does not say that she lives there now.
    const plan = planHeuristically([candidate("Ana lives in Boston.", "ana|lives in", [], MAY_8)], [boston]);
    assert.deepEqual(plan.decisions, [{ candidate: 0, action: "add", links: [] }]);
    // …but a repeat of what held back then is nothing new.
    const late = planHeuristically([candidate("Ana lives in Boston.", "ana|lives in", [], Date.UTC(2022, 0, 1))], [boston]);
    assert.deepEqual(late.decisions, [{ candidate: 0, action: "noop", target: "m1" }]);
  });

  it("invalidates the latest of several current memories of a slot and flags the others", () => {
    const plan = planHeuristically(
      [candidate("Ana lives in Lima.", "ana|lives in", [])],
      [
        existing("m1", "Ana lives in Boston.", "ana|lives in", { validFrom: "2021-01-01T00:00:00.000Z" }),
        existing("m2", "Ana lives in Denver.", "ana|lives in", { validFrom: "2022-01-01T00:00:00.000Z" }),
      ],
    );
    assert.deepEqual(plan.decisions, [
      {
        candidate: 0,
        action: "invalidate",
        target: "m2",
        links: [
          { type: "contradicts", to: "m1" },
          { type: "updates", to: "m2" },
        ],
      },
    ]);
  });

  it("does not match or invalidate a memory twice in one plan", () => {
    const boston = existing("m1", "Ana lives in Boston.", "ana|lives in", { keywords: [] });
    const plan = planHeuristically(
      [candidate("Ana moved to Denver.", "ana|lives in", [], MAY_1), candidate("Ana lives in Boston.", "ana|lives in", [], MAY_8), candidate("Ana moved to Lima.", "ana|lives in", [], MAY_8)],
      [boston],
    );
    assert.deepEqual(plan.decisions, [
      { candidate: 0, action: "invalidate", target: "m1", links: [{ type: "updates", to: "m1" }] },
      // Boston was invalidated by candidate 0: saying it again is news, not a repeat.
      { candidate: 1, action: "add", links: [{ type: "updates", to: { candidate: 0 } }] },
      {
        candidate: 2,
        action: "add",
        links: [
          { type: "updates", to: { candidate: 0 } },
          { type: "updates", to: { candidate: 1 } },
        ],
      },
    ]);
  });

  it("links a candidate of a slot to an earlier one that began later as a contradiction", () => {
    const plan = planHeuristically([candidate("Ana moved to Denver.", "ana|lives in", [], MAY_8), candidate("Ana lived in Boston.", "ana|lives in", [], MAY_1)], []);
    assert.deepEqual(plan.decisions[1], { candidate: 1, action: "add", links: [{ type: "contradicts", to: { candidate: 0 } }] });
  });

  it("links same_entity to at most three existing memories and three earlier candidates, most shared keywords first", () => {
    const others = [
      existing("m1", "Ana likes tea.", null, { keywords: ["ana"] }),
      existing("m2", "Ana has a dog named Rex.", null, { keywords: ["ana", "rex"] }),
      existing("m3", "Bo likes tea.", null, { keywords: ["bo"] }),
      existing("m4", "Ana lives in Boston.", null, { keywords: ["ana", "boston"] }),
      existing("m5", "Ana is a nurse.", null, { keywords: ["ANA"] }),
      existing("m6", "Ana walked Rex in Boston.", null, { keywords: ["ana", "rex", "boston"] }),
    ];
    const plan = planHeuristically(
      [
        candidate("Rex is a dog.", null, ["rex"]),
        candidate("Bo met Ana.", null, ["bo", "ana"]),
        candidate("Ana runs.", null, ["ana"]),
        candidate("Ana swims.", null, ["ana"]),
        candidate("Ana took Rex to Boston.", null, ["ana", "rex", "boston"]),
      ],
      others,
    );
    assert.deepEqual(plan.decisions[4], {
      candidate: 4,
      action: "add",
      links: [
        { type: "same_entity", to: "m6" },
        { type: "same_entity", to: "m2" },
        { type: "same_entity", to: "m4" },
        { type: "same_entity", to: { candidate: 3 } },
        { type: "same_entity", to: { candidate: 2 } },
        { type: "same_entity", to: { candidate: 1 } },
      ],
    });
  });

  it("never links a target twice, nor to candidates that are not stored", () => {
    const boston = existing("m1", "Ana lives in Boston.", "ana|lives in", { keywords: ["ana", "boston"] });
    const tea = existing("m2", "Ana likes tea.", null, { keywords: ["ana"] });
    const plan = planHeuristically([candidate("Ana likes tea.", null, ["ana"]), candidate("Ana moved to Denver.", "ana|lives in", ["ana", "denver"])], [boston, tea]);
    assert.deepEqual(plan.decisions, [
      { candidate: 0, action: "noop", target: "m2" },
      {
        candidate: 1,
        action: "invalidate",
        target: "m1",
        links: [
          { type: "updates", to: "m1" },
          { type: "same_entity", to: "m2" },
        ],
      },
    ]);
  });

  it("handles a repeated candidate safely although callers dedupe", () => {
    const tea = existing("m1", "Ana likes tea.", null, { keywords: [] });
    const plan = planHeuristically(
      [candidate("Ana likes tea.", null, []), candidate("Ana likes tea", null, []), candidate("Ana runs.", null, []), candidate("ana runs", null, [])],
      [tea],
    );
    assert.deepEqual(plan.decisions, [
      { candidate: 0, action: "noop", target: "m1" },
      { candidate: 1, action: "noop", target: "m1" },
      { candidate: 2, action: "add", links: [] },
      // No memory id to name yet: stored once more, linked to its first occurrence.
      { candidate: 3, action: "add", links: [{ type: "same_entity", to: { candidate: 2 } }] },
    ]);
  });

  it("plans nothing for no candidates and never refines", () => {
    assert.deepEqual(planHeuristically([], [existing("m1", "Ana likes tea.", null)]), { decisions: [], refinements: [] });
  });
});
