import { z } from "@hono/zod-openapi";
import { ADMISSION_MODES, SPACE_ROLES, SPACE_TYPES, type AdmissionPolicy, type SpaceDetails, type SpaceRecord } from "../../domain/spaces.js";
import { JOB_STATUSES, MEMORY_KINDS, type JobRecord, type JobUsage, type MemoryStats } from "../../domain/types.js";
import type { JobRunSummary } from "../../ingest/job-worker.js";
import type { ErrorBody } from "./error-response.js";
import { exactSchema, storedTime } from "./exact-schema.js";
import { count, fraction, MemoryRecordSchema } from "./memory-record-schema.js";
import {
  ChangeEventSchema,
  ForgetResultSchema,
  IngestResultSchema,
  IngestStreamAckSchema,
  IngestStreamDoneSchema,
  MemoryLinkSchema,
  MemoryPageSchema,
  RecallResultSchema,
} from "./memory-result-schemas.js";

export { ChangeEventSchema, ForgetResultSchema, IngestResultSchema, IngestStreamAckSchema, IngestStreamDoneSchema, MemoryLinkSchema, MemoryPageSchema, MemoryRecordSchema, RecallResultSchema };

export const ErrorSchema: z.ZodType<ErrorBody> = exactSchema<ErrorBody>()(
  z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }) }).openapi("Error"),
);

const usageShape = {
  llmCalls: count.openapi({ description: "Model calls, failed attempts included" }),
  inputTokens: count,
  outputTokens: count,
};

const JobUsageSchema = exactSchema<JobUsage>()(z.strictObject(usageShape).openapi("JobUsage"));

export const JobRecordSchema: z.ZodType<JobRecord> = exactSchema<JobRecord>()(
  z
    .strictObject({
      id: z.number().int().min(1),
      kind: z.string(),
      space: z.string(),
      status: z.enum(JOB_STATUSES),
      attempts: count,
      eventIds: z.array(z.string()),
      runAfter: storedTime.openapi({ description: "When a pending job may run next" }),
      lastError: z.string().nullable(),
      lastReply: z.string().nullable().openapi({ description: "The model's last reply when it could not be used (cut to 4000 characters)" }),
      ...usageShape,
      createdAt: storedTime,
      updatedAt: storedTime,
    })
    .openapi("JobRecord"),
);

export const JobRunSummarySchema: z.ZodType<JobRunSummary> = exactSchema<JobRunSummary>()(
  z
    .strictObject({
      done: count,
      retrying: count.openapi({ description: "Failed this time; will be retried" }),
      dead: count.openapi({ description: "Failed for the last time: replay them with POST /v1/jobs/replay" }),
      created: count.openapi({ description: "Memories written" }),
      updated: count.openapi({ description: "New versions of older memories" }),
    })
    .openapi("JobRunSummary"),
);

export const JobReplayResultSchema: z.ZodType<{ replayed: number }> = exactSchema<{ replayed: number }>()(
  z.strictObject({ replayed: count.openapi({ description: "Dead jobs put back in the queue" }) }).openapi("JobReplayResult"),
);

const role = z.enum(SPACE_ROLES);
// The request's AdmissionPolicy may leave the threshold out; a stored policy always has one.
const SpaceAdmissionPolicySchema = exactSchema<AdmissionPolicy>()(z.strictObject({ mode: z.enum(ADMISSION_MODES), threshold: fraction }).openapi("SpaceAdmissionPolicy"));
const spaceShape = {
  name: z.string(),
  type: z.enum(SPACE_TYPES),
  role: role.openapi({ description: "Your own role in the space" }),
  everyone: role.nullable().openapi({ description: "The role every principal of the tenant has; null: members only" }),
  admission: SpaceAdmissionPolicySchema,
  createdBy: z.string().nullable().openapi({ description: "Null for spaces made before spaces had owners" }),
  createdAt: storedTime,
};

// SpaceDetails repeats SpaceRecord's fields rather than extending it: an extended schema becomes allOf
// of two objects that each forbid the other's fields, which no value can match.
export const SpaceRecordSchema: z.ZodType<SpaceRecord> = exactSchema<SpaceRecord>()(z.strictObject(spaceShape).openapi("SpaceRecord"));

export const SpaceDetailsSchema: z.ZodType<SpaceDetails> = exactSchema<SpaceDetails>()(
  z
    .strictObject({
      ...spaceShape,
      members: z
        .array(z.strictObject({ principal: z.string(), role, addedAt: storedTime }).openapi("SpaceMember"))
        .openapi({ description: "Named members by principal; those reading through `everyone` are not listed" }),
    })
    .openapi("SpaceDetails"),
);

export const MemoryStatsSchema: z.ZodType<MemoryStats> = exactSchema<MemoryStats>()(
  z
    .strictObject({
      tenant: z.string(),
      events: count,
      memories: count.openapi({ description: "Current memories, forgotten ones left out" }),
      memoriesByKind: z.partialRecord(z.enum(MEMORY_KINDS), count).openapi({ additionalProperties: false, description: "Kinds with no memory are left out" }),
      versions: count,
      forgotten: count,
      spaces: count,
      lastChangeSeq: count,
      jobs: z.strictObject({ pending: count, running: count, done: count, dead: count }).openapi({ description: "Your background jobs by status" }),
      llm: JobUsageSchema,
      store: z.record(z.string(), z.unknown()).openapi({ description: "The store's details: name, tokenizer, and what the backend reports (path, size …)" }),
    })
    .openapi("MemoryStats"),
);

/** Every schema a response of the document refers to by name (nested ones are reached through these). */
const SCHEMAS: Record<string, z.ZodType> = {
  ChangeEvent: ChangeEventSchema,
  Error: ErrorSchema,
  ForgetResult: ForgetResultSchema,
  IngestResult: IngestResultSchema,
  IngestStreamAck: IngestStreamAckSchema,
  IngestStreamDone: IngestStreamDoneSchema,
  JobRecord: JobRecordSchema,
  JobReplayResult: JobReplayResultSchema,
  JobRunSummary: JobRunSummarySchema,
  MemoryLink: MemoryLinkSchema,
  MemoryPage: MemoryPageSchema,
  MemoryRecord: MemoryRecordSchema,
  MemoryStats: MemoryStatsSchema,
  RecallResult: RecallResultSchema,
  SpaceDetails: SpaceDetailsSchema,
  SpaceRecord: SpaceRecordSchema,
};

/** The schema of a response component of the OpenAPI document, by its name; throws for an unknown name. */
export function responseSchema(name: string): z.ZodType {
  const schema = SCHEMAS[name];
  if (!schema) throw new Error(`No response schema is named "${name}".`);
  return schema;
}
