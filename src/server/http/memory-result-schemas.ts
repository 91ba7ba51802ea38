import { z } from "@hono/zod-openapi";
import {
  CHANGE_OPERATIONS,
  type AssembledContext,
  type ChangeEvent,
  type ForgetResult,
  type IngestedEvent,
  type IngestResult,
  type MemoryLink,
  type MemoryPage,
  type RecallItem,
  type RecallResult,
} from "../../domain/types.js";
import { exactSchema, storedTime } from "./exact-schema.js";
import { count, memoryKind, MemoryRecordSchema } from "./memory-record-schema.js";

const ingestedEventShape = {
  eventId: z.string(),
  memoryId: z.string().openapi({ description: "The episode memory the event became" }),
  idempotencyKey: z.string().nullable(),
  duplicate: z.boolean().openapi({ description: "The idempotency key was already stored: nothing was written" }),
};

const IngestedEventSchema = exactSchema<IngestedEvent>()(z.strictObject(ingestedEventShape).openapi("IngestedEvent"));

export const IngestResultSchema: z.ZodType<IngestResult> = exactSchema<IngestResult>()(
  z
    .strictObject({
      events: z.array(IngestedEventSchema).openapi({ description: "One per input event, in input order" }),
      inserted: count,
      duplicates: count,
      embedding: z
        .strictObject({ embedded: count, error: z.string().nullable() })
        .optional()
        .openapi({ description: "With an embedder only: how many new memories got their vector, and the provider's error if some did not" }),
    })
    .openapi("IngestResult"),
);

/** A line of an NDJSON ingest stream's reply: one per event, once it is durable. */
export const IngestStreamAckSchema: z.ZodType<IngestedEvent & { index: number }> = exactSchema<IngestedEvent & { index: number }>()(
  z.strictObject({ index: count.openapi({ description: "The event's position in the stream, from 0" }), ...ingestedEventShape }).openapi("IngestStreamAck"),
);

/** The last line of an NDJSON ingest stream's reply, unless it ended with an error line. */
export const IngestStreamDoneSchema: z.ZodType<{ done: true; inserted: number; duplicates: number }> = exactSchema<{ done: true; inserted: number; duplicates: number }>()(
  z.strictObject({ done: z.literal(true), inserted: count, duplicates: count }).openapi("IngestStreamDone"),
);

const RecallItemSchema = exactSchema<RecallItem>()(
  z
    .strictObject({
      memory: MemoryRecordSchema,
      rank: z.number().int().min(1).openapi({ description: "1 for the best match" }),
      score: z.number().openapi({ description: "Higher is better; comparable only within one recall" }),
      tokens: count.openapi({ description: "Tokens this item's line takes in the context" }),
    })
    .openapi("RecallItem"),
);

const AssembledContextSchema = exactSchema<AssembledContext>()(
  z
    .strictObject({
      text: z.string().openapi({ description: "Ready for a prompt: one line per item, by time, under date headers" }),
      tokens: count.openapi({ description: "Counted with `tokenizer` over `text`; never above budgetTokens" }),
      budgetTokens: z.number().int().min(1),
      tokenizer: z.string(),
    })
    .openapi("AssembledContext"),
);

export const RecallResultSchema: z.ZodType<RecallResult> = exactSchema<RecallResult>()(
  z
    .strictObject({
      query: z.string(),
      items: z.array(RecallItemSchema).openapi({ description: "The items in the context, best first" }),
      context: AssembledContextSchema,
      warnings: z.array(z.string()).optional().openapi({ description: "What went wrong without failing the recall (e.g. vector search skipped); absent when nothing did" }),
    })
    .openapi("RecallResult"),
);

export const MemoryPageSchema: z.ZodType<MemoryPage> = exactSchema<MemoryPage>()(
  z
    .strictObject({
      items: z.array(MemoryRecordSchema).openapi({ description: "Current versions, newest first" }),
      nextCursor: z.string().nullable().openapi({ description: "Pass as cursor for the next page; null on the last one" }),
    })
    .openapi("MemoryPage"),
);

export const ForgetResultSchema: z.ZodType<ForgetResult> = exactSchema<ForgetResult>()(
  z
    .strictObject({
      id: z.string(),
      forgottenAt: storedTime,
      versionsPurged: count.openapi({ description: "0 when it was already forgotten" }),
      eventsPurged: count,
    })
    .openapi("ForgetResult"),
);

export const MemoryLinkSchema: z.ZodType<MemoryLink> = exactSchema<MemoryLink>()(
  z
    .strictObject({
      from: z.string(),
      to: z.string(),
      type: z.string().openapi({ description: "same_entity, updates, contradicts, part_of or follows" }),
      createdAt: storedTime,
    })
    .openapi("MemoryLink"),
);

export const ChangeEventSchema: z.ZodType<ChangeEvent> = exactSchema<ChangeEvent>()(
  z
    .strictObject({
      seq: z.number().int().min(1).openapi({ description: "Increasing in commit order: resume after the last one seen (Last-Event-ID)" }),
      operation: z.enum(CHANGE_OPERATIONS),
      space: z.string(),
      memoryId: z.string().nullable(),
      version: z.number().int().min(1).nullable().openapi({ description: "The version written (created, updated); null for space changes and forgetting" }),
      kind: memoryKind.nullable(),
      actor: z.string(),
      at: storedTime,
      memory: z.union([MemoryRecordSchema, z.null()]).openapi({ description: "The version the change wrote, as stored now (a tombstone once forgotten); null for space changes" }),
    })
    .openapi("ChangeEvent", { description: "One committed change: the data of an event of GET /v1/changes" }),
);
