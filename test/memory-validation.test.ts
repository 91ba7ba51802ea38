import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createMemory, type CreateMemoryOptions, type Memory, type MemoryErrorCode } from "../src/index.js";
import { openSqliteStore } from "../src/store/sqlite/index.js";
import { rejectsWith, testMemory } from "./support/memory-fixtures.js";

interface BadInput {
  name: string;
  call: (memory: Memory) => Promise<unknown>;
  code: MemoryErrorCode;
  /** The field the error names: in the message, and in details.field (details.space for a space). */
  field: string;
}

/** Calls made with inputs the types forbid, as JavaScript callers or JSON bodies can send them. */
const loose = (memory: Memory): { ingest: (events: unknown) => Promise<unknown>; recall: (query: unknown, options?: unknown) => Promise<unknown> } =>
  memory as never;

const BAD_INPUTS: BadInput[] = [
  { name: "an unknown space on ingest", call: (m) => m.ingest({ text: "hello", space: "nowhere" }), code: "space_not_found", field: "nowhere" },
  { name: "an unknown space on recall", call: (m) => m.recall("hello", { spaces: ["default", "nowhere"] }), code: "space_not_found", field: "nowhere" },
  { name: "text as a number", call: (m) => loose(m).ingest({ text: 42 }), code: "invalid_input", field: "event.text" },
  { name: "no text at all", call: (m) => loose(m).ingest({ speaker: "Ana" }), code: "invalid_input", field: "event.text" },
  { name: "whitespace-only text", call: (m) => m.ingest({ text: " \n\t " }), code: "invalid_input", field: "event.text" },
  { name: "occurredAt as an object", call: (m) => loose(m).ingest({ text: "hello", occurredAt: { year: 2023 } }), code: "invalid_input", field: "event.occurredAt" },
  { name: "attachments that are not an array", call: (m) => loose(m).ingest({ text: "hello", attachments: { kind: "image" } }), code: "invalid_input", field: "event.attachments" },
  { name: "an attachment without a kind", call: (m) => loose(m).ingest({ text: "hello", attachments: [{ caption: "x" }] }), code: "invalid_input", field: "event.attachments[0].kind" },
  { name: "metadata that is a string", call: (m) => loose(m).ingest({ text: "hello", metadata: "{}" }), code: "invalid_input", field: "event.metadata" },
  { name: "metadata that is an array", call: (m) => loose(m).ingest({ text: "hello", metadata: [1, 2] }), code: "invalid_input", field: "event.metadata" },
  { name: "an unknown field (ocurredAt)", call: (m) => loose(m).ingest({ text: "hello", ocurredAt: "2023-05-08" }), code: "invalid_input", field: "event.ocurredAt" },
  { name: "an invalid event kind", call: (m) => loose(m).ingest({ text: "hello", kind: "memo" }), code: "invalid_input", field: "event.kind" },
  { name: "an event that is not an object", call: (m) => loose(m).ingest(["just a string"]), code: "invalid_input", field: "events[0]" },
  { name: "a bad event in the middle of a batch", call: (m) => loose(m).ingest([{ text: "fine" }, { text: "fine too" }, { text: null }]), code: "invalid_input", field: "events[2].text" },
  { name: "text over the size limit", call: (m) => m.ingest([{ text: "fine" }, { text: "x".repeat(101) }]), code: "too_large", field: "events[1].text" },
  { name: "more events than the batch limit", call: (m) => m.ingest(Array.from({ length: 6 }, (_, index) => ({ text: `event ${index}` }))), code: "too_large", field: "events" },
  { name: "metadata over the size limit", call: (m) => m.ingest({ text: "hello", metadata: { blob: "y".repeat(300) } }), code: "too_large", field: "event.metadata" },
  { name: "an unpaired surrogate in the text", call: (m) => m.ingest({ text: "broken \uD83D text" }), code: "invalid_input", field: "event.text" },
  { name: "a date that does not exist (2023-02-30)", call: (m) => m.ingest({ text: "hello", occurredAt: "2023-02-30" }), code: "invalid_input", field: "event.occurredAt" },
  { name: "a date that is not ISO 8601 (yesterday)", call: (m) => m.ingest({ text: "hello", occurredAt: "yesterday" }), code: "invalid_input", field: "event.occurredAt" },
  { name: "occurredAt with a fraction of a millisecond", call: (m) => m.ingest({ text: "hello", occurredAt: 1.5 }), code: "invalid_input", field: "event.occurredAt" },
  { name: "occurredAt beyond the range of a Date", call: (m) => m.ingest({ text: "hello", occurredAt: 9e15 }), code: "invalid_input", field: "event.occurredAt" },
  { name: "an invalid Date object", call: (m) => m.ingest({ text: "hello", occurredAt: new Date("nonsense") }), code: "invalid_input", field: "event.occurredAt" },
  { name: "an empty query", call: (m) => m.recall(""), code: "invalid_input", field: "query" },
  { name: "a whitespace-only query", call: (m) => m.recall("  \t\n "), code: "invalid_input", field: "query" },
  { name: "a query that is not a string", call: (m) => loose(m).recall(7), code: "invalid_input", field: "query" },
  { name: "budgetTokens 0", call: (m) => m.recall("hello", { budgetTokens: 0 }), code: "invalid_input", field: "options.budgetTokens" },
  { name: "budgetTokens -1", call: (m) => m.recall("hello", { budgetTokens: -1 }), code: "invalid_input", field: "options.budgetTokens" },
  { name: "budgetTokens 1.5", call: (m) => m.recall("hello", { budgetTokens: 1.5 }), code: "invalid_input", field: "options.budgetTokens" },
  { name: "budgetTokens as a string", call: (m) => loose(m).recall("hello", { budgetTokens: "100" }), code: "invalid_input", field: "options.budgetTokens" },
  { name: "an invalid kind in recall", call: (m) => loose(m).recall("hello", { kinds: ["episode", "memo"] }), code: "invalid_input", field: "options.kinds[1]" },
  { name: "an empty kinds list", call: (m) => m.recall("hello", { kinds: [] }), code: "invalid_input", field: "options.kinds" },
  { name: "an invalid kind in list", call: (m) => m.list({ kinds: ["memo"] } as never), code: "invalid_input", field: "options.kinds[0]" },
  { name: "an invalid asOf date", call: (m) => m.recall("hello", { asOf: "2023-02-30" }), code: "invalid_input", field: "options.asOf" },
  { name: "asOf beyond the range of a Date", call: (m) => m.recall("hello", { asOf: -1e20 }), code: "invalid_input", field: "options.asOf" },
  { name: "an invalid timeRange.from", call: (m) => m.recall("hello", { timeRange: { from: "yesterday" } }), code: "invalid_input", field: "options.timeRange.from" },
  { name: "a timeRange whose from is after its to", call: (m) => m.recall("hello", { timeRange: { from: "2023-05-02", to: "2023-05-01" } }), code: "invalid_input", field: "options.timeRange" },
  { name: "an unknown recall option", call: (m) => loose(m).recall("hello", { budget: 100 }), code: "invalid_input", field: "options.budget" },
  { name: "a query over the size limit", call: (m) => m.recall("q".repeat(4_097)), code: "too_large", field: "query" },
  { name: "an invalid space name", call: (m) => m.spaces.create("bad name!"), code: "invalid_input", field: "name" },
];

describe("bad input is refused with a clear error and changes nothing", () => {
  let memory: Memory;
  before(async () => {
    ({ memory } = await testMemory({ limits: { maxTextChars: 100, maxEventsPerIngest: 5, maxMetadataChars: 200 } }));
    await memory.ingest([{ text: "hello world", idempotencyKey: "seed/1" }, { text: "a second memory" }]);
  });
  after(() => memory.close());

  for (const bad of BAD_INPUTS) {
    it(`${bad.name}: ${bad.code} naming ${bad.field}`, async () => {
      const before = await memory.stats();
      const error = await rejectsWith(bad.call(memory), bad.code);
      assert.ok(error.message.includes(bad.field), `the message names ${bad.field}: ${error.message}`);
      const named = bad.code === "space_not_found" ? error.details["space"] : error.details["field"];
      assert.equal(named, bad.field);
      assert.deepEqual(await memory.stats(), before);
    });
  }

  it("text exactly at the size limit is accepted", async () => {
    const result = await memory.ingest({ text: "z".repeat(100) });
    assert.equal(result.inserted, 1);
  });
});

describe("createMemory refuses bad options", () => {
  const cases: { name: string; options: unknown; field: string }[] = [
    { name: "neither path nor store", options: {}, field: "options" },
    { name: "an unknown option", options: { path: ":memory:", pth: "x.db" }, field: "options.pth" },
    { name: "a limit of 0", options: { path: ":memory:", limits: { maxTextChars: 0 } }, field: "options.limits.maxTextChars" },
    { name: "an empty tenant", options: { path: ":memory:", tenant: " " }, field: "options.tenant" },
    { name: "an invalid default space", options: { path: ":memory:", defaultSpace: "-starts-with-a-dash" }, field: "options.defaultSpace" },
  ];
  for (const bad of cases) {
    it(`${bad.name}: invalid_input naming ${bad.field}`, async () => {
      const error = await rejectsWith(createMemory(bad.options as CreateMemoryOptions), "invalid_input");
      assert.equal(error.details["field"], bad.field);
      assert.ok(error.message.includes(bad.field), error.message);
    });
  }

  it("both path and store: invalid_input, and the given store stays untouched", async () => {
    const store = await openSqliteStore({ path: ":memory:" });
    const error = await rejectsWith(createMemory({ path: ":memory:", store }), "invalid_input");
    assert.equal(error.details["field"], "options");
    assert.match(error.message, /path/);
    assert.match(error.message, /store/);
    assert.deepEqual(await store.listSpaces({ tenantId: "default", principalId: "default" }), [], "nothing was set up in it");
    await store.close();
  });
});
