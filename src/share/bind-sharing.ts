import { MemoryError, invalidInput } from "../domain/memory-error.js";
import type { CreateSpaceOptions, SpaceDetails, SpaceRecord, SpaceRole } from "../domain/spaces.js";
import type { MemoryRecord, SubscribeOptions } from "../domain/types.js";
import { isPlainObject, rejectUnknownFields, requireInteger, requireString } from "../domain/validate.js";
import type { Engine } from "../engine.js";
import { subscribeChanges, type Subscription } from "./subscribe-changes.js";
import { requirePrincipalName, requireSpaceName, validateAdmissionPolicy, validateNewSpace, validateRole } from "./validate-space-options.js";

/** Spaces, their members and admission policies. Every check of who may do what is made by the store. */
export interface MemorySpaces {
  /** Creates a space with you as an admin; returns it unchanged if it exists and you may read it. */
  create(name: string, options?: CreateSpaceOptions): Promise<SpaceRecord>;
  /** The spaces you may read, each with your role. */
  list(): Promise<SpaceRecord[]>;
  /** A space with its members. Throws `space_not_found` for a space you may not read. */
  get(name: string): Promise<SpaceDetails>;
  /** Admins: gives a principal a role in the space, or removes it with null. */
  setMember(space: string, principal: string, role: SpaceRole | null): Promise<SpaceDetails>;
  /** Admins: how writes from non-admins enter the space from now on. */
  setAdmission(space: string, policy: { mode: "always" | "never" | "review" | "scored"; threshold?: number }): Promise<SpaceDetails>;
}

/** Admins' decisions on memories held for review (find them with `list({ admission: ["pending"] })`). */
export interface MemoryReview {
  approve(id: string, options?: ReviewOptions): Promise<MemoryRecord>;
  reject(id: string, options?: ReviewOptions): Promise<MemoryRecord>;
}

export interface ReviewOptions {
  /** Recorded with the decision. */
  why?: string;
  /** Fails with `conflict` if the memory moved past this version meanwhile. */
  expectedVersion?: number;
}

export interface Sharing {
  spaces: MemorySpaces;
  review: MemoryReview;
  feedback(id: string, verdict: { used: boolean }): Promise<void>;
  subscribe(options?: SubscribeOptions): Subscription;
  /** Ends every open subscription (on close). */
  closeSubscriptions(): void;
}

export function bindSharing(engine: Engine, open: () => void): Sharing {
  const { store, scope } = engine;
  const now = (): number => engine.clock().getTime();
  const subscriptions = new Set<Subscription>();
  const decide = (status: "admitted" | "rejected") => async (id: string, options: ReviewOptions = {}) => {
    open();
    if (!isPlainObject(options as unknown)) throw invalidInput("options", "must be an object { why?, expectedVersion? }.");
    rejectUnknownFields(options, ["why", "expectedVersion"], "options");
    const why = options.why === undefined ? `${status === "admitted" ? "approved" : "rejected"} in review` : requireString(options.why, "options.why", { maxLength: 1_000 });
    const expectedVersion = options.expectedVersion === undefined ? undefined : requireInteger(options.expectedVersion, "options.expectedVersion", { min: 1, max: Number.MAX_SAFE_INTEGER });
    return store.decideAdmission(scope, requireString(id, "id", { maxLength: 256 }), { status, why, expectedVersion }, now());
  };
  return {
    spaces: {
      create: async (name, options) => (open(), store.createSpace(scope, validateNewSpace(name, options), now())),
      list: async () => (open(), store.listSpaces(scope)),
      get: async (name) => {
        open();
        const space = await store.getSpace(scope, requireSpaceName(name, "name"));
        if (!space) throw new MemoryError("space_not_found", `Space "${name}" does not exist, or is not one you may read.`, { details: { space: name } });
        return space;
      },
      setMember: async (space, principal, role) => {
        open();
        return store.setMember(scope, requireSpaceName(space, "space"), { principal: requirePrincipalName(principal, "principal"), role: validateRole(role, "role") }, now());
      },
      setAdmission: async (space, policy) => (open(), store.setAdmission(scope, requireSpaceName(space, "space"), validateAdmissionPolicy(policy, "policy"), now())),
    },
    review: { approve: decide("admitted"), reject: decide("rejected") },
    feedback: async (id, verdict) => {
      open();
      if (!isPlainObject(verdict as unknown) || typeof verdict.used !== "boolean") throw invalidInput("verdict", "must be { used: true } or { used: false }.");
      rejectUnknownFields(verdict, ["used"], "verdict");
      await store.recordFeedback(scope, requireString(id, "id", { maxLength: 256 }), verdict.used, now());
    },
    subscribe: (options) => {
      open();
      // Forgotten once closed, so a long-lived memory does not collect dead subscriptions.
      const subscription = subscribeChanges(engine, options, () => subscriptions.delete(subscription));
      subscriptions.add(subscription);
      return subscription;
    },
    closeSubscriptions: () => {
      for (const subscription of [...subscriptions]) subscription.close();
    },
  };
}
