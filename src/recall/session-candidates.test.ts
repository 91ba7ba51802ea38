import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Candidate } from "../store/store.js";
import { sessionCandidates } from "./session-candidates.js";

function turn(key: number, session: string | null, score: number): Candidate {
  return { key, id: `m${key}`, version: 1, score, tokens: 5, author: "default", validFrom: key, position: session === null ? null : { space: "default", session, position: key } };
}

describe("sessionCandidates", () => {
  it("puts the session with the strongest matches first, its best match first", () => {
    const ranked = [turn(1, "a", 9), turn(2, "b", 5), turn(3, "b", 4), turn(4, "b", 3), turn(5, "a", 1), turn(6, null, 2)];
    const regrouped = sessionCandidates(ranked);
    assert.deepEqual(regrouped.map((candidate) => candidate.key), [2, 3, 4, 1, 5, 6]);
    assert.deepEqual(regrouped.map((candidate) => candidate.score), [12, 12, 12, 10, 10, 2]);
  });

  it("counts only a session's three best matches, so a long chatty session does not win by volume", () => {
    const chatty = [1, 2, 3, 4, 5, 6].map((key) => turn(key, "chatty", 2));
    const focused = [turn(7, "focused", 7)];
    assert.equal(sessionCandidates([...chatty, ...focused])[0]!.key, 7);
  });
});
