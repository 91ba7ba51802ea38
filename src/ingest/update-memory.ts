import { MemoryError, invalidInput } from "../domain/memory-error.js";
import { toEpochMs } from "../domain/time.js";
import type { MemoryRecord, UpdateInput } from "../domain/types.js";
import { validateMetadata } from "../domain/validate-event.js";
import { isPlainObject, rejectUnknownFields, requireInteger, requireString } from "../domain/validate.js";
import type { Engine } from "../engine.js";
import { indexExtra, memoryKeywords, renderMemoryLine } from "../recall/render-memory.js";

const UPDATE_FIELDS = ["expectedVersion", "text", "metadata", "importance", "validFrom", "validTo"];

/**
 * Writes a new version of a memory; the old one is kept, superseded. Fields left out carry over.
 * Compare-and-set: fails with `conflict` if the memory is no longer at `expectedVersion`.
 */
export async function updateMemory(engine: Engine, id: unknown, input: UpdateInput): Promise<MemoryRecord> {
  const memoryId = requireString(id, "id", { maxLength: 256 });
  if (!isPlainObject(input as unknown)) throw invalidInput("update", "must be an object { expectedVersion, text?, metadata?, importance?, validFrom?, validTo? }.");
  rejectUnknownFields(input, UPDATE_FIELDS, "update");
  const expectedVersion = requireInteger(input.expectedVersion, "update.expectedVersion", { min: 1, max: Number.MAX_SAFE_INTEGER });
  if (UPDATE_FIELDS.slice(1).every((field) => !(field in input))) {
    throw invalidInput("update", "changes nothing. Give at least one of text, metadata, importance, validFrom, validTo.");
  }
  const current = await engine.store.getMemory(engine.scope, memoryId);
  if (!current || current.forgottenAt !== null) {
    throw new MemoryError("not_found", `No memory with id "${memoryId}" to update${current ? " (it was forgotten)" : ""}.`, { details: { id: memoryId } });
  }
  const text = input.text === undefined ? current.text : requireText(input.text, engine.limits.maxTextChars);
  const validFrom = input.validFrom === undefined ? millis(current.validFrom) : input.validFrom === null ? null : toEpochMs(input.validFrom, "update.validFrom");
  const validTo = input.validTo === undefined ? millis(current.validTo) : input.validTo === null ? null : toEpochMs(input.validTo, "update.validTo");
  if (validFrom !== null && validTo !== null && validTo < validFrom) {
    throw invalidInput("update.validTo", "is before validFrom. A memory cannot stop being true before it starts.");
  }
  return engine.store.updateMemory(
    engine.scope,
    {
      id: memoryId,
      expectedVersion,
      next: {
        text,
        indexText: indexExtra(current.origin),
        keywords: memoryKeywords(text, current.origin),
        tokens: engine.tokenizer.count(renderMemoryLine({ kind: current.kind, text, origin: current.origin })),
        metadata: input.metadata === undefined ? current.metadata : validateMetadata(input.metadata, "update.metadata", engine.limits.maxMetadataChars),
        importance: input.importance === undefined ? current.importance : requireImportance(input.importance),
        origin: current.origin,
        validFrom,
        validTo,
      },
    },
    engine.clock().getTime(),
  );
}

function requireText(value: unknown, maxChars: number): string {
  const text = requireString(value, "update.text", { maxLength: Number.MAX_SAFE_INTEGER });
  if (text.trim() === "") throw invalidInput("update.text", "must not be empty. To delete a memory, use forget(id).");
  if (text.length > maxChars) {
    throw new MemoryError("too_large", `update.text: is ${text.length} characters, over the limit of ${maxChars}.`, {
      details: { field: "update.text", length: text.length, limit: maxChars },
    });
  }
  return text;
}

function requireImportance(value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw invalidInput("update.importance", `must be a number from 0 to 1, got ${String(value)}.`);
  return value;
}

function millis(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}
