/**
 * What a principal may do in a space. Each role includes the ones before it: `write` can read, `admin`
 * can write and also manage members, the admission policy and the review queue.
 */
export type SpaceRole = "read" | "write" | "admin";
export const SPACE_ROLES: readonly SpaceRole[] = ["read", "write", "admin"];

/**
 * private: one agent's own space (its creator is the only member, and stays so); shared: a team's, with
 * members added by its admins; global: every principal of the tenant may read it (and write, when
 * `everyone` is "write").
 */
export type SpaceType = "private" | "shared" | "global";
export const SPACE_TYPES: readonly SpaceType[] = ["private", "shared", "global"];

/** The space every tenant has: global, readable and writable by each of its principals. */
export const TENANT_SPACE = "default";

/**
 * How a write from a non-admin enters a space. always: at once; never: it is stored but kept out
 * (visible to its author only); review: held until an admin approves it; scored: admitted when its score
 * (novelty against what the space holds, and usefulness learned from what others used) reaches
 * `threshold`. An admin's own writes are always admitted.
 */
export type AdmissionMode = "always" | "never" | "review" | "scored";
export const ADMISSION_MODES: readonly AdmissionMode[] = ["always", "never", "review", "scored"];

export interface AdmissionPolicy {
  mode: AdmissionMode;
  /** scored only: the least score (0..1) admitted. */
  threshold: number;
}

export const DEFAULT_ADMISSION: AdmissionPolicy = { mode: "always", threshold: 0.5 };

/** admitted: every reader sees it; pending: held for review; rejected: kept out (its author and admins still see it). */
export type AdmissionStatus = "admitted" | "pending" | "rejected";
export const ADMISSION_STATUSES: readonly AdmissionStatus[] = ["admitted", "pending", "rejected"];

/** Why a memory is (or is not) in its space. */
export interface AdmissionRecord {
  status: AdmissionStatus;
  /** In words, e.g. "score 0.71 ≥ 0.5: novelty 0.93 (…), usefulness 0.42 (…)". */
  why: string;
  /** scored only. */
  score?: number;
  novelty?: number;
  usefulness?: number;
  /** The admin who approved or rejected it, for decisions taken in review. */
  decidedBy?: string;
}

export interface SpaceRecord {
  name: string;
  type: SpaceType;
  /** The caller's own role in it. */
  role: SpaceRole;
  /** The role every principal of the tenant has (global spaces); null: members only. */
  everyone: SpaceRole | null;
  admission: AdmissionPolicy;
  /** Null for spaces made before spaces had owners. */
  createdBy: string | null;
  createdAt: string;
}

export interface SpaceMember {
  principal: string;
  role: SpaceRole;
}

export interface SpaceDetails extends SpaceRecord {
  /** Named members, by principal; principals reading through `everyone` are not listed. */
  members: (SpaceMember & { addedAt: string })[];
}

export interface CreateSpaceOptions {
  /** @default "shared" */
  type?: SpaceType;
  /** Other members and their roles; the creator is always an admin. Not allowed for private spaces. */
  members?: SpaceMember[];
  /** Global spaces: what every principal may do. @default "write" */
  everyone?: "read" | "write";
  /** @default { mode: "always" } */
  admission?: { mode: AdmissionMode; threshold?: number };
}

/** The higher of two roles; null is no role. */
export function strongerRole(a: SpaceRole | null, b: SpaceRole | null): SpaceRole | null {
  if (a === null) return b;
  if (b === null) return a;
  return SPACE_ROLES.indexOf(a) >= SPACE_ROLES.indexOf(b) ? a : b;
}

/** True when `role` includes `needed`. */
export function allows(role: SpaceRole | null, needed: SpaceRole): boolean {
  return role !== null && SPACE_ROLES.indexOf(role) >= SPACE_ROLES.indexOf(needed);
}
