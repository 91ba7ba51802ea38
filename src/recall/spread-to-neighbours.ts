import type { Candidate, PositionRange, SessionPosition } from "../store/store.js";
import { compareNewerFirst } from "../domain/compare-newer-first.js";

/**
 * How far a match lends weight to the turns around it. In a conversation the answer often sits next to
 * the turn that matches the question (the reply, the follow-up, the photo's caption before it).
 */
export interface NeighbourSpreading {
  /** Turns on each side that receive weight. 0 turns spreading off. */
  radius: number;
  /** Share of a match's score that reaches a turn one step away; two steps get decay², and so on. */
  decay: number;
}

export const DEFAULT_NEIGHBOUR_SPREADING: NeighbourSpreading = { radius: 3, decay: 0.5 };

/**
 * Re-scores candidates and their neighbours: each turn's score becomes the sum, over the matched turns
 * within `radius` of it in the same session, of the match's score times decay^distance (a match counts
 * itself at distance 0). Memories without a session position keep their own score. Best first; ties go
 * to the newer world time, as in text search.
 */
export function spreadToNeighbours(candidates: readonly Candidate[], neighbours: readonly Candidate[], spreading: NeighbourSpreading): Candidate[] {
  const byPosition = new Map<string, Candidate>();
  for (const candidate of [...neighbours, ...candidates]) {
    if (candidate.position) byPosition.set(positionKey(candidate.position, 0), candidate);
  }
  const spread = new Map<Candidate, number>();
  for (const candidate of candidates) {
    if (!candidate.position) {
      spread.set(candidate, (spread.get(candidate) ?? 0) + candidate.score);
      continue;
    }
    for (let distance = 0; distance <= spreading.radius; distance += 1) {
      const weight = candidate.score * spreading.decay ** distance;
      for (const offset of distance === 0 ? [0] : [-distance, distance]) {
        const target = byPosition.get(positionKey(candidate.position, offset));
        if (target) spread.set(target, (spread.get(target) ?? 0) + weight);
      }
    }
  }
  return [...spread]
    .map(([candidate, score]) => ({ ...candidate, score }))
    .sort((a, b) => b.score - a.score || compareNewerFirst(a.validFrom, b.validFrom) || (a.id < b.id ? 1 : -1));
}

/**
 * The positions within `radius` of the candidates that are not candidates themselves, as ranges: only
 * these need fetching, so the store never re-reads what text search already returned.
 */
export function missingNeighbourRanges(candidates: readonly Candidate[], radius: number): PositionRange[] {
  const sessions = new Map<string, { space: string; session: string; have: Set<number> }>();
  for (const { position } of candidates) {
    if (!position) continue;
    const key = `${position.space}\u0000${position.session}`;
    const entry = sessions.get(key) ?? { space: position.space, session: position.session, have: new Set<number>() };
    entry.have.add(position.position);
    sessions.set(key, entry);
  }
  const ranges: PositionRange[] = [];
  for (const { space, session, have } of sessions.values()) {
    const wanted = new Set<number>();
    for (const position of have) {
      for (let offset = -radius; offset <= radius; offset += 1) {
        const target = position + offset;
        if (target >= 1 && !have.has(target)) wanted.add(target);
      }
    }
    let current: PositionRange | undefined;
    for (const position of [...wanted].sort((a, b) => a - b)) {
      if (current && position === current.to + 1) current.to = position;
      else ranges.push((current = { space, session, from: position, to: position }));
    }
  }
  return ranges;
}

function positionKey(position: SessionPosition, offset: number): string {
  return `${position.space}\u0000${position.session}\u0000${position.position + offset}`;
}
