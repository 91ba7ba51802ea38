import { MemoryError, type ChangeEvent, type Memory, type Subscription } from "../../src/index.js";
import type { MemoryStore } from "../../src/store/store.js";
import * as model from "./isolation-model.js";

// The randomized isolation test's world (the principals' handles and what the run has seen) and the
// helpers that record what each principal receives and compare outcomes with the oracle.

/** A memory id that never existed: an invisible one must fail exactly like it. */
export const GHOST_ID = "mem_ghost000";
export const MARKER: RegExp = /qz\d{5}k/g;
export const marker = (text: string): string => text.slice(0, 8);

export interface Actor {
  tenant: model.ModelTenant;
  principal: string;
  memory: Memory;
  subscription: Subscription;
  feed: AsyncIterator<ChangeEvent>;
  /** Where the live feed has read the store up to: it reads only when this test asks it for changes. */
  feedReadTo: number;
  feedBroken: boolean;
}

export interface World {
  seed: number;
  random: () => number;
  store: MemoryStore;
  tenants: model.ModelTenant[];
  actors: Actor[];
  markers: number;
  step: number;
  log: string[];
  violations: string[];
  /** Leaks already reported, so one leak does not fill the report. */
  reported: Set<string>;
  /** Where get and history disagree on whether a memory exists ("invisible means nonexistent"). */
  questions: string[];
  /** An operation did not go as the oracle predicted: the model no longer matches the store. */
  diverged: boolean;
}

export type Outcome<T> = { value: T; error: null } | { value: undefined; error: MemoryError };

export async function attempt<T>(promise: Promise<T>): Promise<Outcome<T>> {
  try {
    return { value: await promise, error: null };
  } catch (error) {
    if (error instanceof MemoryError) return { value: undefined, error };
    throw error;
  }
}

export const pick = <T>(world: World, items: readonly T[]): T => items[Math.floor(world.random() * items.length)]!;
export const chance = (world: World, p: number): boolean => world.random() < p;
export const sameSet = (got: readonly string[], want: readonly string[]): boolean => JSON.stringify([...got].sort()) === JSON.stringify([...want].sort());

export function violation(world: World, actor: Actor, surface: string, detail: string): void {
  world.violations.push(`seed ${world.seed}, step ${world.step}, ${actor.tenant.name}/${actor.principal}, ${surface}: ${detail}`);
}

export const whose = (world: World, id: string, version?: number): string => model.describeMemory(world.tenants, id, version);

export function describeMarker(world: World, text: string): string {
  const owner = model.textOwner(world.tenants, text);
  return owner ? whose(world, owner.id, owner.version) : `${text} (never stored)`;
}

/** Every marker in what the principal received must be of a version it may see. */
export function scan(world: World, actor: Actor, surface: string, received: unknown): void {
  const allowed = new Set([...model.visibleTexts(actor.tenant, actor.principal)].map(marker));
  const text = received instanceof MemoryError ? JSON.stringify({ message: received.message, details: received.details }) : (JSON.stringify(received) ?? "");
  for (const found of new Set(text.match(MARKER) ?? [])) {
    const key = `${surface.split(" ")[0]} ${found}`;
    if (allowed.has(found) || world.reported.has(key)) continue;
    world.reported.add(key);
    const at = text.indexOf(found);
    const carrier = /^"id":"([^"]+)"/.exec(text.slice(text.lastIndexOf('"id":"', at)))?.[1];
    const inside = carrier && carrier !== model.textOwner(world.tenants, found)?.id ? ` inside the record of ${carrier}` : "";
    violation(world, actor, surface, `received text it may not see: ${describeMarker(world, found)}${inside}, in …${text.slice(Math.max(0, at - 100), at + 30)}…`);
  }
}

/** Compares an operation's outcome with the oracle's; a mismatch stops the seed, since the model is then wrong. */
export function expectOutcome(world: World, actor: Actor, what: string, expected: string | null, outcome: Outcome<unknown>): boolean {
  world.log.push(`${world.step}: ${actor.tenant.name}/${actor.principal} ${what} → ${outcome.error?.code ?? "ok"}`);
  if (outcome.error) scan(world, actor, `${what} error`, outcome.error);
  const got = outcome.error?.code ?? null;
  if (got === expected) return got === null;
  violation(world, actor, what, `expected ${expected ?? "success"}, got ${got ?? "success"}${outcome.error ? ` (${outcome.error.message})` : ""}`);
  world.diverged = true;
  return false;
}

/** An id the principal may not see must fail exactly as one that never existed: same code, message and details. */
export async function sameAsMissing(world: World, actor: Actor, what: string, id: string, error: MemoryError, call: (id: string) => Promise<unknown>): Promise<void> {
  if (world.diverged || model.planFeedback(actor.tenant, actor.principal, id).error !== "not_found") return;
  const missing = await attempt(call(GHOST_ID));
  const shape = (value: MemoryError | null, name: string): string => JSON.stringify({ code: value?.code, message: value?.message, details: value?.details }).replaceAll(name, "<id>");
  if (shape(error, id) !== shape(missing.error, GHOST_ID)) violation(world, actor, what, `an invisible id fails unlike a missing one: ${error.message} / ${missing.error?.message}`);
}
