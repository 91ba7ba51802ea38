import { invalidInput } from "../domain/memory-error.js";
import { ADMISSION_MODES, DEFAULT_ADMISSION, SPACE_ROLES, SPACE_TYPES, TENANT_SPACE, type AdmissionPolicy, type SpaceRole, type SpaceType } from "../domain/spaces.js";
import { isPlainObject, rejectUnknownFields, requireString } from "../domain/validate.js";
import type { NewSpace } from "../store/store.js";

const SPACE_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._:@/-]{0,127}$/u;
const MAX_MEMBERS = 1_000;

export function requireSpaceName(value: unknown, field: string): string {
  const name = requireString(value, field, { maxLength: 128 });
  if (!SPACE_NAME.test(name)) {
    throw invalidInput(field, `"${name}" is not a valid space name: use letters, digits and . _ : @ / - (starting with a letter or digit), up to 128 characters.`);
  }
  return name;
}

export function requirePrincipalName(value: unknown, field: string): string {
  const name = requireString(value, field, { maxLength: 128 });
  if (name.trim() === "") throw invalidInput(field, "must not be empty.");
  return name;
}

/** The space a memory opens as its default when it does not exist yet: the tenant's own is global, any other private. */
export function defaultSpaceFor(name: string): NewSpace {
  return name === TENANT_SPACE
    ? { name, type: "global", everyone: "write", members: [], admission: DEFAULT_ADMISSION }
    : { name, type: "private", everyone: null, members: [], admission: DEFAULT_ADMISSION };
}

export function validateNewSpace(name: unknown, options: unknown): NewSpace {
  const valid = requireSpaceName(name, "name");
  if (options === undefined) return { name: valid, type: "shared", everyone: null, members: [], admission: DEFAULT_ADMISSION };
  if (!isPlainObject(options)) throw invalidInput("options", 'must be an object such as { type: "shared", members: [{ principal: "agent-b", role: "write" }] }.');
  rejectUnknownFields(options, ["type", "members", "everyone", "admission"], "options");
  const type = options["type"] === undefined ? "shared" : requireOneOf<SpaceType>(options["type"], SPACE_TYPES, "options.type");
  if (options["everyone"] !== undefined && type !== "global") throw invalidInput("options.everyone", `applies to global spaces only; this one is ${type}.`);
  const everyone = type === "global" ? (options["everyone"] === undefined ? "write" : requireOneOf(options["everyone"], ["read", "write"] as const, "options.everyone")) : null;
  const members = options["members"] === undefined ? [] : validateMembers(options["members"]);
  if (type === "private" && members.length > 0) throw invalidInput("options.members", "a private space has one member, its creator; create a shared space for a team.");
  const admission = options["admission"] === undefined ? DEFAULT_ADMISSION : validateAdmissionPolicy(options["admission"], "options.admission");
  return { name: valid, type, everyone, members, admission };
}

export function validateRole(value: unknown, field: string): SpaceRole | null {
  return value === null ? null : requireOneOf(value, SPACE_ROLES, field);
}

export function validateAdmissionPolicy(value: unknown, field: string): AdmissionPolicy {
  if (!isPlainObject(value)) throw invalidInput(field, 'must be an object such as { mode: "scored", threshold: 0.6 }.');
  rejectUnknownFields(value, ["mode", "threshold"], field);
  const mode = requireOneOf(value["mode"], ADMISSION_MODES, `${field}.mode`);
  const threshold = value["threshold"] ?? DEFAULT_ADMISSION.threshold;
  if (typeof threshold !== "number" || !Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw invalidInput(`${field}.threshold`, `must be a number from 0 to 1, got ${String(threshold)}.`);
  }
  if (value["threshold"] !== undefined && mode !== "scored") throw invalidInput(`${field}.threshold`, `applies to the "scored" mode only; this policy is "${mode}".`);
  return { mode, threshold };
}

function validateMembers(value: unknown): { principal: string; role: SpaceRole }[] {
  if (!Array.isArray(value)) throw invalidInput("options.members", 'must be an array such as [{ principal: "agent-b", role: "write" }].');
  if (value.length > MAX_MEMBERS) throw invalidInput("options.members", `lists ${value.length} members; at most ${MAX_MEMBERS} at once.`);
  return value.map((member: unknown, index) => {
    const field = `options.members[${index}]`;
    if (!isPlainObject(member)) throw invalidInput(field, 'must be an object { principal, role }, e.g. { principal: "agent-b", role: "write" }.');
    rejectUnknownFields(member, ["principal", "role"], field);
    return { principal: requirePrincipalName(member["principal"], `${field}.principal`), role: requireOneOf(member["role"], SPACE_ROLES, `${field}.role`) };
  });
}

function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) throw invalidInput(field, `must be one of ${allowed.map((item) => `"${item}"`).join(", ")}, got ${JSON.stringify(value) ?? "undefined"}.`);
  return value as T;
}
