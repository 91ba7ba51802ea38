import assert from "node:assert/strict";
import { MemoryError, type MemoryErrorCode } from "../domain/memory-error.js";
import type { MemoryKind, MemoryRecord } from "../domain/types.js";
import type { ChangeEvent } from "../domain/types.js";
import type { MemoryStore, NewEpisode, NewSpace, StoreScope, StoreStats, TextQuery } from "../store/store.js";

/** What each contract test gets: a fresh store, set up with two tenants, closed after the test. */
export interface ContractContext {
  /** A new store from the adapter's `create`, with tenants A and B set up at `T0`. */
  open(): Promise<MemoryStore>;
  /** Registers a test, skipped when the adapter's skip list names it. */
  it(name: string, run: () => Promise<void>): void;
}

export const T0: number = Date.UTC(2024, 0, 1);
export const MINUTE = 60_000;
export const DAY = 86_400_000;

export const TENANT_A: StoreScope = { tenantId: "tenant-a", principalId: "agent-a" };
export const TENANT_B: StoreScope = { tenantId: "tenant-b", principalId: "agent-b" };
export const DEFAULT_SPACE = "default";

/** The tenant's global space, as `createMemory` makes it: every principal reads and writes it. */
export const GLOBAL_DEFAULT: NewSpace = { name: DEFAULT_SPACE, type: "global", everyone: "write", members: [], admission: { mode: "always", threshold: 0.5 } };

/** A shared space: the creator is its admin, plus the members given. */
export function space(name: string, members: NewSpace["members"] = [], admission: NewSpace["admission"] = { mode: "always", threshold: 0.5 }): NewSpace {
  return { name, type: "shared", everyone: null, members, admission };
}

/** The visible changes after `after`, at most `limit`. */
export async function changesAfter(store: MemoryStore, scope: StoreScope, after: number, limit = 1_000): Promise<ChangeEvent[]> {
  return (await store.changesSince(scope, { after, limit })).changes;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

let counter = 0;

export interface EpisodeOptions {
  text: string;
  key?: string | null;
  space?: string;
  kind?: MemoryKind;
  occurredAt?: number;
  validTo?: number | null;
  /** @default derived from the text, so equal texts are duplicates */
  contentHash?: string;
  metadata?: Record<string, unknown>;
  speaker?: string | null;
  tokens?: number;
  /** @default "session-1"; null for an event that names no session */
  sessionId?: string | null;
  /** @default none */
  keywords?: string[];
}

/** One entry for `appendEvents`, with fresh ids; the memory's world time starts when the event happened. */
export function episode(options: EpisodeOptions): NewEpisode {
  counter += 1;
  const occurredAt = options.occurredAt ?? T0;
  const speaker = options.speaker ?? null;
  const sessionId = options.sessionId === undefined ? "session-1" : options.sessionId;
  return {
    event: {
      id: `evt_contract_${counter}`,
      idempotencyKey: options.key ?? null,
      contentHash: options.contentHash ?? `hash:${options.text}`,
      space: options.space ?? DEFAULT_SPACE,
      kind: "message",
      role: "user",
      speaker,
      sessionId,
      text: options.text,
      attachments: [],
      metadata: options.metadata ?? {},
      occurredAt,
    },
    memory: {
      id: `mem_contract_${counter}`,
      kind: options.kind ?? "episode",
      text: options.text,
      indexText: speaker ?? "",
      keywords: options.keywords ?? [],
      tokens: options.tokens ?? options.text.split(" ").length,
      metadata: options.metadata ?? {},
      importance: 0.5,
      origin: { eventKind: "message", role: "user", speaker, sessionId, attachments: [] },
      validFrom: occurredAt,
      validTo: options.validTo ?? null,
    },
  };
}

/** Appends one episode and returns its memory id. */
export async function addMemory(store: MemoryStore, scope: StoreScope, options: EpisodeOptions, at: number = T0): Promise<string> {
  const [outcome] = await store.appendEvents(scope, [episode(options)], at);
  assert.ok(outcome, "appendEvents returns one outcome per entry");
  return outcome.memoryId;
}

/** Awaits a rejection with a `MemoryError` of `code`, and returns the error for further checks. */
export async function rejectsWith(promise: Promise<unknown>, code: MemoryErrorCode): Promise<MemoryError> {
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof MemoryError, `expected a MemoryError, got ${String(caught)}`);
  assert.equal(caught.code, code, `expected code ${code}, got ${caught.code}: ${caught.message}`);
  return caught;
}

export interface StoreSnapshot {
  counts: Omit<StoreStats, "details">;
  changes: ChangeEvent[];
  memories: MemoryRecord[];
}

/** Everything a tenant can observe, to show that a failed call wrote nothing. */
export async function snapshot(store: MemoryStore, scope: StoreScope): Promise<StoreSnapshot> {
  const { details: _details, ...counts } = await store.stats(scope);
  return {
    counts,
    changes: await changesAfter(store, scope, 0, 100_000),
    memories: (await store.listMemories(scope, { limit: 100_000 })).items,
  };
}

/** Ids of the search hits, best first; by default a current search a year after T0. */
export async function searchIds(store: MemoryStore, scope: StoreScope, terms: string[], extra: Partial<Omit<TextQuery, "terms">> = {}): Promise<string[]> {
  const hits = await store.searchText(scope, { terms, asOf: T0 + 365 * DAY, current: true, limit: 100, ...extra });
  return hits.map((hit) => hit.id);
}
