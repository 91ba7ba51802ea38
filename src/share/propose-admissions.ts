import type { Engine } from "../engine.js";
import type { AdmissionProposal } from "../store/store.js";
import { scoreAdmission, type AdmissionCandidate } from "./score-admission.js";

/**
 * The scored verdicts for new memories headed for spaces whose policy is "scored" (undefined for the
 * others, and for spaces the caller administers, whose writes are admitted anyway). The store applies
 * the space's policy as it stands when it writes; these are only its input.
 */
export async function proposeAdmissions(engine: Engine, items: readonly (AdmissionCandidate & { space: string })[]): Promise<(AdmissionProposal | undefined)[]> {
  const proposals: (AdmissionProposal | undefined)[] = items.map(() => undefined);
  if (items.length === 0) return proposals;
  const spaces = new Map((await engine.store.listSpaces(engine.scope)).map((space) => [space.name, space]));
  const bySpace = new Map<string, number[]>();
  for (const [index, item] of items.entries()) {
    const space = spaces.get(item.space);
    if (!space || space.admission.mode !== "scored" || space.role === "admin") continue;
    bySpace.set(item.space, [...(bySpace.get(item.space) ?? []), index]);
  }
  for (const [name, indexes] of bySpace) {
    const scored = await scoreAdmission(
      engine,
      spaces.get(name)!,
      indexes.map((index) => items[index]!),
    );
    indexes.forEach((index, position) => (proposals[index] = scored[position]));
  }
  return proposals;
}
