import type { AdmissionPolicy, AdmissionRecord, SpaceRole } from "./spaces.js";

/** The status every write gets in a space under `always`; stored as no decision at all. */
export const ADMITTED_ALWAYS: AdmissionRecord = { status: "admitted", why: "admitted: the space admits every write" };

/**
 * The admission of a new memory written by a principal with `role` into a space under `policy`. The
 * store calls it inside the write, so no surface can skip it; `proposal` is the engine's scored verdict.
 */
export function admit(policy: AdmissionPolicy, role: SpaceRole, proposal: Omit<AdmissionRecord, "decidedBy"> | undefined): AdmissionRecord {
  if (policy.mode === "always") return ADMITTED_ALWAYS;
  if (role === "admin") return { status: "admitted", why: `admitted: written by an admin of the space (its policy is "${policy.mode}")` };
  switch (policy.mode) {
    case "never":
      return { status: "rejected", why: 'rejected: the space admits no writes from non-admins (policy "never")' };
    case "review":
      return { status: "pending", why: "pending: held until an admin of the space approves it (policy \"review\")" };
    case "scored":
      return proposal ?? { status: "pending", why: "pending: the space scores writes, and this one came without a score; an admin can decide" };
  }
}
