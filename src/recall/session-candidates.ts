import type { Candidate } from "../store/store.js";
import { compareNewerFirst } from "../domain/compare-newer-first.js";

/** A session's strength is the sum of its best matches' scores: several good matches beat one lucky one. */
const MATCHES_PER_SESSION = 3;

/**
 * Sessions as units: the text matches regrouped by conversation session, strongest session first (the
 * sum of its best matches' scores), best match first within a session. In the fusion it lifts turns of
 * the sessions that are about the question as a whole. Memories outside sessions keep their own score.
 */
export function sessionCandidates(textRanking: readonly Candidate[]): Candidate[] {
  const sessions = new Map<string, Candidate[]>();
  for (const candidate of textRanking) {
    const key = candidate.position ? `${candidate.position.space}\u0000${candidate.position.session}` : `\u0001${candidate.key}`;
    const members = sessions.get(key) ?? [];
    members.push(candidate);
    sessions.set(key, members);
  }
  const strength = (members: readonly Candidate[]): number =>
    [...members]
      .sort((a, b) => b.score - a.score)
      .slice(0, MATCHES_PER_SESSION)
      .reduce((sum, candidate) => sum + candidate.score, 0);
  return [...sessions.values()]
    .map((members) => ({ members: [...members].sort((a, b) => b.score - a.score || compareNewerFirst(a.validFrom, b.validFrom)), strength: strength(members) }))
    .sort((a, b) => b.strength - a.strength)
    .flatMap(({ members, strength }) => members.map((candidate) => ({ ...candidate, score: strength })));
}
