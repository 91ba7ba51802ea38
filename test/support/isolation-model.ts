import { allows, strongerRole, type AdmissionMode, type AdmissionStatus, type SpaceRole, type SpaceType } from "../../src/domain/spaces.js";
import type { MemoryErrorCode } from "../../src/domain/memory-error.js";
import type { ChangeOperation } from "../../src/domain/types.js";

/**
 * The oracle of the randomized isolation test: who may see what, written from the access rules in
 * `src/store/store.ts` and nothing else. Each `plan…` function predicts an operation's outcome from the
 * model alone: `error` is the code the store must fail with (null: it must succeed), and `apply` records
 * the success in the model.
 */

export interface ModelSpace {
  name: string;
  type: SpaceType;
  everyone: SpaceRole | null;
  members: Map<string, SpaceRole>;
  mode: AdmissionMode;
}

/** One stored version, with the principal that wrote it. */
export interface ModelVersion {
  version: number;
  author: string;
  text: string;
}

export interface ModelMemory {
  id: string;
  space: string;
  /** Who created it (version 1's author): "own" is decided by this, whoever revised it since. */
  owner: string;
  versions: ModelVersion[];
  admission: AdmissionStatus;
  forgotten: boolean;
}

export interface ModelChange {
  seq: number;
  operation: ChangeOperation;
  space: string;
  memoryId: string | null;
  version: number | null;
  actor: string;
  /** The memory's owner; null for space changes. */
  owner: string | null;
  /** Only the owner and the space's admins see it: it touched a memory that was not admitted. */
  restricted: boolean;
}

export interface ModelTenant {
  name: string;
  principals: readonly string[];
  spaces: Map<string, ModelSpace>;
  memories: Map<string, ModelMemory>;
  changes: ModelChange[];
}

export interface Plan {
  error: MemoryErrorCode | null;
  apply: () => void;
}

export interface SpaceSpec {
  name: string;
  type: SpaceType;
  everyone: SpaceRole | null;
  members: { principal: string; role: SpaceRole }[];
  mode: AdmissionMode;
}

/** A tenant as its first principal's handle leaves it: the global "default" space, with that principal as its admin. */
export function newTenant(name: string, principals: readonly string[]): ModelTenant {
  const tenant: ModelTenant = { name, principals, spaces: new Map(), memories: new Map(), changes: [] };
  planCreateSpace(tenant, principals[0]!, { name: "default", type: "global", everyone: "write", members: [], mode: "always" }).apply();
  return tenant;
}

export function roleIn(tenant: ModelTenant, spaceName: string, principal: string): SpaceRole | null {
  const space = tenant.spaces.get(spaceName);
  return space ? strongerRole(space.members.get(principal) ?? null, space.everyone) : null;
}

export function currentVersion(memory: ModelMemory): ModelVersion {
  return memory.versions.at(-1)!;
}

/**
 * Whether `principal` may see this version: its space is readable, and it is admitted, or the principal
 * created the memory, or (`held`, as get, history and the review queue read) administers the space.
 * Every version of a memory is seen alike.
 */
export function seesVersion(tenant: ModelTenant, memory: ModelMemory, _version: ModelVersion, principal: string, held: boolean): boolean {
  const role = roleIn(tenant, memory.space, principal);
  if (role === null) return false;
  return memory.admission === "admitted" || memory.owner === principal || (held && role === "admin");
}

/** What `get(id)` must return: the current version, held ones included for admins. */
export function seesMemory(tenant: ModelTenant, memory: ModelMemory, principal: string): boolean {
  return seesVersion(tenant, memory, currentVersion(memory), principal, true);
}

/** Current, not forgotten memories: as list() (held false) or list({ admission: all }) (held true) returns them. */
export function listed(tenant: ModelTenant, principal: string, held: boolean): ModelMemory[] {
  return [...tenant.memories.values()].filter((memory) => !memory.forgotten && seesVersion(tenant, memory, currentVersion(memory), principal, held));
}

export function readableSpaces(tenant: ModelTenant, principal: string): ModelSpace[] {
  return [...tenant.spaces.values()].filter((space) => roleIn(tenant, space.name, principal) !== null).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The changes a principal may read now: of readable spaces, and not restricted unless it owns the memory or administers. */
export function visibleChanges(tenant: ModelTenant, principal: string, after = 0): ModelChange[] {
  return tenant.changes.filter((change) => {
    if (change.seq <= after) return false;
    const role = roleIn(tenant, change.space, principal);
    return role !== null && (!change.restricted || change.owner === principal || role === "admin");
  });
}

/** The counts of `stats()`: everything as recall sees it (admitted or own), forgotten and superseded versions included where stated. */
export function expectedStats(tenant: ModelTenant, principal: string): { events: number; memories: number; versions: number; forgotten: number; spaces: number; lastChangeSeq: number } {
  const memories = [...tenant.memories.values()];
  const sees = (memory: ModelMemory, version: ModelVersion): boolean => seesVersion(tenant, memory, version, principal, false);
  return {
    events: memories.filter((memory) => sees(memory, memory.versions[0]!)).length,
    memories: listed(tenant, principal, false).length,
    versions: memories.reduce((sum, memory) => sum + memory.versions.filter((version) => sees(memory, version)).length, 0),
    forgotten: memories.filter((memory) => memory.forgotten && memory.versions.some((version) => sees(memory, version))).length,
    spaces: readableSpaces(tenant, principal).length,
    lastChangeSeq: visibleChanges(tenant, principal).at(-1)?.seq ?? 0,
  };
}

function record(tenant: ModelTenant, change: Omit<ModelChange, "seq">): void {
  tenant.changes.push({ ...change, seq: tenant.changes.length + 1 });
}

export function planCreateSpace(tenant: ModelTenant, actor: string, spec: SpaceSpec): Plan & { existing: ModelSpace | undefined } {
  const existing = tenant.spaces.get(spec.name);
  if (existing) return { error: roleIn(tenant, spec.name, actor) === null ? "conflict" : null, apply: () => {}, existing };
  return {
    error: null,
    existing,
    apply: () => {
      const members = new Map(spec.members.map((member) => [member.principal, member.role]));
      members.set(actor, "admin");
      tenant.spaces.set(spec.name, { name: spec.name, type: spec.type, everyone: spec.everyone, members, mode: spec.mode });
      record(tenant, { operation: "space.created", space: spec.name, memoryId: null, version: null, actor, owner: null, restricted: false });
    },
  };
}

/** The checks every space administration makes, in the store's order. */
function adminPlan(tenant: ModelTenant, actor: string, spaceName: string): MemoryErrorCode | null {
  const role = roleIn(tenant, spaceName, actor);
  if (role === null) return "space_not_found";
  return allows(role, "admin") ? null : "forbidden";
}

export function planSetMember(tenant: ModelTenant, actor: string, spaceName: string, principal: string, role: SpaceRole | null): Plan {
  const denied = adminPlan(tenant, actor, spaceName);
  if (denied) return { error: denied, apply: () => {} };
  const space = tenant.spaces.get(spaceName)!;
  if (space.type === "private" && principal !== actor) return { error: "invalid_input", apply: () => {} };
  const members = new Map(space.members);
  if (role === null) members.delete(principal);
  else members.set(principal, role);
  if (![...members.values()].includes("admin")) return { error: "invalid_input", apply: () => {} };
  return {
    error: null,
    apply: () => {
      space.members = members;
      record(tenant, { operation: "space.updated", space: spaceName, memoryId: null, version: null, actor, owner: null, restricted: false });
    },
  };
}

export function planSetAdmission(tenant: ModelTenant, actor: string, spaceName: string, mode: AdmissionMode): Plan {
  const denied = adminPlan(tenant, actor, spaceName);
  if (denied) return { error: denied, apply: () => {} };
  return {
    error: null,
    apply: () => {
      tenant.spaces.get(spaceName)!.mode = mode;
      record(tenant, { operation: "space.updated", space: spaceName, memoryId: null, version: null, actor, owner: null, restricted: false });
    },
  };
}

/**
 * `admission` is what the space's policy decides for the writer; null under "scored", whose verdict the
 * engine scores (the test reads it back from the author's own view). `apply` takes the stored status.
 */
export function planIngest(tenant: ModelTenant, actor: string, spaceName: string): { error: MemoryErrorCode | null; admission: AdmissionStatus | null; apply: (id: string, text: string, admission: AdmissionStatus) => void } {
  const role = roleIn(tenant, spaceName, actor);
  const none = { admission: null, apply: () => {} };
  if (role === null) return { error: "space_not_found", ...none };
  if (!allows(role, "write")) return { error: "forbidden", ...none };
  const mode = tenant.spaces.get(spaceName)!.mode;
  const admission = mode === "always" || role === "admin" ? "admitted" : mode === "never" ? "rejected" : mode === "review" ? "pending" : null;
  return {
    error: null,
    admission,
    apply: (id, text, status) => {
      tenant.memories.set(id, { id, space: spaceName, owner: actor, versions: [{ version: 1, author: actor, text }], admission: status, forgotten: false });
      record(tenant, { operation: "memory.created", space: spaceName, memoryId: id, version: 1, actor, owner: actor, restricted: status !== "admitted" });
    },
  };
}

/**
 * The checks of every write to an existing memory, in the store's order: it must be visible (else it
 * does not exist), the role must suffice, and it must not be forgotten (`forgottenError`).
 */
function memoryPlan(tenant: ModelTenant, actor: string, id: string, needed: SpaceRole | null, forgottenError: MemoryErrorCode | null): { error: MemoryErrorCode | null; memory: ModelMemory | undefined } {
  const memory = tenant.memories.get(id);
  if (!memory || !seesMemory(tenant, memory, actor)) return { error: "not_found", memory: undefined };
  if (needed !== null && !allows(roleIn(tenant, memory.space, actor), needed)) return { error: "forbidden", memory };
  if (memory.forgotten) return { error: forgottenError, memory };
  return { error: null, memory };
}

/** The engine reads the memory before the store checks the role: a forgotten one is `not_found` whatever the role. */
export function planUpdate(tenant: ModelTenant, actor: string, id: string): { error: MemoryErrorCode | null; apply: (text: string) => void } {
  const seen = memoryPlan(tenant, actor, id, null, "not_found");
  const { error, memory } = seen.error ? seen : memoryPlan(tenant, actor, id, "write", null);
  if (error || !memory) return { error, apply: () => {} };
  return {
    error: null,
    apply: (text) => {
      const version = currentVersion(memory).version + 1;
      memory.versions.push({ version, author: actor, text });
      record(tenant, { operation: "memory.updated", space: memory.space, memoryId: id, version, actor, owner: memory.owner, restricted: memory.admission !== "admitted" });
    },
  };
}

/** Forgetting a forgotten memory succeeds and changes nothing. */
export function planForget(tenant: ModelTenant, actor: string, id: string): Plan {
  const { error, memory } = memoryPlan(tenant, actor, id, "write", null);
  if (error || !memory || memory.forgotten) return { error, apply: () => {} };
  return {
    error: null,
    apply: () => {
      memory.forgotten = true;
      record(tenant, { operation: "memory.forgotten", space: memory.space, memoryId: id, version: null, actor, owner: memory.owner, restricted: memory.admission !== "admitted" });
    },
  };
}

export function planDecide(tenant: ModelTenant, actor: string, id: string, status: "admitted" | "rejected"): Plan {
  const { error, memory } = memoryPlan(tenant, actor, id, "admin", "not_found");
  if (error || !memory) return { error, apply: () => {} };
  if (memory.admission === "admitted") return { error: "conflict", apply: () => {} };
  return {
    error: null,
    apply: () => {
      memory.admission = status;
      const operation = status === "admitted" ? "memory.admitted" : "memory.rejected";
      record(tenant, { operation, space: memory.space, memoryId: id, version: currentVersion(memory).version, actor, owner: memory.owner, restricted: status !== "admitted" });
    },
  };
}

export function planFeedback(tenant: ModelTenant, actor: string, id: string): Plan {
  return { error: memoryPlan(tenant, actor, id, null, null).error, apply: () => {} };
}

/** The texts a principal may receive: of the versions it may see (held ones included) of memories not forgotten. */
export function visibleTexts(tenant: ModelTenant, principal: string): Set<string> {
  const texts = new Set<string>();
  for (const memory of tenant.memories.values()) {
    if (memory.forgotten) continue;
    for (const version of memory.versions) if (seesVersion(tenant, memory, version, principal, true)) texts.add(version.text);
  }
  return texts;
}

/** The versions `history(id)` must return, oldest first: each one the principal may see. */
export function historyVersions(tenant: ModelTenant, id: string, principal: string): number[] {
  const memory = tenant.memories.get(id);
  return memory ? memory.versions.filter((version) => seesVersion(tenant, memory, version, principal, true)).map((version) => version.version) : [];
}

export function memoryOf(tenants: readonly ModelTenant[], id: string): { tenant: ModelTenant; memory: ModelMemory } | undefined {
  for (const tenant of tenants) {
    const memory = tenant.memories.get(id);
    if (memory) return { tenant, memory };
  }
  return undefined;
}

/** One line per change, the same for the store's changes and the model's. */
export function changeKey(change: { seq: number; operation: string; space: string; memoryId: string | null; version: number | null; actor: string }): string {
  return `${change.seq} ${change.operation} ${change.space} ${change.memoryId ?? "-"} v${change.version ?? "-"} by ${change.actor}`;
}

/** What the model holds, so a seed that stopped reaching held memories or role changes shows it. */
export function describeTenants(tenants: readonly ModelTenant[]): string {
  const spaces = tenants.flatMap((tenant) => [...tenant.spaces.values()]);
  const memories = tenants.flatMap((tenant) => [...tenant.memories.values()]);
  const count = <T>(items: readonly T[], test: (item: T) => boolean): number => items.filter(test).length;
  const types = (["private", "shared", "global"] as const).map((type) => `${count(spaces, (space) => space.type === type)} ${type}`);
  const statuses = (["admitted", "pending", "rejected"] as const).map((status) => `${count(memories, (memory) => memory.admission === status)} ${status}`);
  return `${tenants.length} tenants, ${spaces.length} spaces (${types.join(", ")}); ${memories.length} memories (${statuses.join(", ")}; ${count(memories, (memory) => memory.forgotten)} forgotten, ${count(memories, (memory) => memory.versions.length > 1)} updated)`;
}

/** The memory version whose text starts with `prefix`. */
export function textOwner(tenants: readonly ModelTenant[], prefix: string): { id: string; version: number } | undefined {
  for (const tenant of tenants) {
    for (const memory of tenant.memories.values()) {
      const version = memory.versions.find((each) => each.text.startsWith(prefix));
      if (version) return { id: memory.id, version: version.version };
    }
  }
  return undefined;
}

/** "qz00012k… = memory mem_… v2 in acme/team by ben, pending": for failure messages. */
export function describeMemory(tenants: readonly ModelTenant[], id: string, version?: number): string {
  const found = memoryOf(tenants, id);
  if (!found) return id;
  const { tenant, memory } = found;
  const written = memory.versions[(version ?? memory.versions.length) - 1]!;
  return `${written.text.split(" ")[0]} = memory ${id} v${written.version} in ${tenant.name}/${memory.space} by ${written.author}, ${memory.admission}${memory.forgotten ? ", forgotten" : ""}`;
}
