import { z } from "@hono/zod-openapi";
import { ADMISSION_STATUSES, type AdmissionRecord } from "../../domain/spaces.js";
import { EVENT_KINDS, EVENT_ROLES, MEMORY_KINDS, type Attachment, type MemoryKind, type MemoryOrigin, type MemoryRecord } from "../../domain/types.js";
import { exactSchema, storedTime } from "./exact-schema.js";

export const memoryKind: z.ZodEnum<{ [K in MemoryKind]: K }> = z.enum(MEMORY_KINDS);
export const fraction: z.ZodNumber = z.number().min(0).max(1);
export const count: z.ZodNumber = z.number().int().min(0);

const AttachmentSchema = exactSchema<Attachment>()(
  z.strictObject({ kind: z.string(), caption: z.string().optional(), url: z.string().optional() }).openapi("Attachment"),
);

const MemoryOriginSchema = exactSchema<MemoryOrigin>()(
  z
    .strictObject({
      eventKind: z.enum(EVENT_KINDS),
      role: z.enum(EVENT_ROLES).nullable(),
      speaker: z.string().nullable(),
      sessionId: z.string().nullable(),
      attachments: z.array(AttachmentSchema),
    })
    .openapi("MemoryOrigin", { description: "Where an episode came from" }),
);

const AdmissionRecordSchema = exactSchema<AdmissionRecord>()(
  z
    .strictObject({
      status: z.enum(ADMISSION_STATUSES),
      why: z.string(),
      score: fraction.optional().openapi({ description: "scored spaces only" }),
      novelty: fraction.optional(),
      usefulness: fraction.optional(),
      decidedBy: z.string().optional().openapi({ description: "The admin who approved or rejected it in review" }),
    })
    .openapi("AdmissionRecord", { description: "Whether the memory is in its space for every reader, and why" }),
);

export const MemoryRecordSchema: z.ZodType<MemoryRecord> = exactSchema<MemoryRecord>()(
  z
    .strictObject({
      id: z.string(),
      version: z.number().int().min(1),
      replacesVersion: z.number().int().min(1).nullable(),
      kind: memoryKind,
      text: z.string().openapi({ description: "Empty once the memory is forgotten" }),
      metadata: z.record(z.string(), z.unknown()),
      importance: fraction,
      space: z.string(),
      author: z.string().openapi({ description: "The principal that wrote this version" }),
      sourceEventIds: z.array(z.string()),
      // A nullable $ref becomes allOf [ref, null] in the document, which nothing can match: a union says it right.
      origin: z.union([MemoryOriginSchema, z.null()]).openapi({ description: "Null for memories not made from a single event, and once forgotten" }),
      validFrom: storedTime.nullable().openapi({ description: "World time: when it became true" }),
      validTo: storedTime.nullable().openapi({ description: "World time: when it stopped being true; null while it still is" }),
      recordedAt: storedTime.openapi({ description: "System time: when this version was written" }),
      supersededAt: storedTime.nullable().openapi({ description: "System time: when a newer version replaced this one" }),
      forgottenAt: storedTime.nullable(),
      admission: AdmissionRecordSchema,
    })
    .openapi("MemoryRecord", { description: "One version of one memory" }),
);
