import { invalidInput } from "../domain/memory-error.js";
import { JOB_STATUSES, type JobStatus } from "../domain/types.js";
import { isPlainObject, rejectUnknownFields, requireInteger } from "../domain/validate.js";
import type { ExtractionSettings } from "../engine.js";
import type { LanguageModel } from "../providers/llm.js";
import type { JobQuery } from "../store/store.js";

/** How background extraction runs; every field is optional. */
export interface ExtractionOptions {
  /** Turns per extraction call (and per consolidation decision). @default 20 */
  batchSize?: number;
  /** Batches worked on at once. @default 2 */
  concurrency?: number;
  /** Tries before a job goes to the dead-letter list. @default 4 */
  maxAttempts?: number;
  /** How long a claimed job stays claimed: a worker that died gives its jobs back when this runs out. @default 300000 (5 minutes) */
  leaseMs?: number;
  /** The wait before the first retry; each later one waits four times longer (at most an hour). @default 2000 */
  retryDelayMs?: number;
  /** Run jobs in the background after each ingest; false: only `memory.jobs.run()` runs them. @default true */
  background?: boolean;
}

const FIELDS = ["batchSize", "concurrency", "maxAttempts", "leaseMs", "retryDelayMs", "background"];

/** The settings createMemory's `extraction` and `llm` options describe; null when extraction is off. */
export function validateExtraction(options: ExtractionOptions | false | undefined, llm: LanguageModel | undefined): ExtractionSettings | null {
  if (llm !== undefined && !isLanguageModel(llm)) {
    throw invalidInput("options.llm", "must implement the LanguageModel port: { name, completeJson(request), usage() }, e.g. createOpenAIChat({ baseURL, model }).");
  }
  if (options === false) {
    if (llm !== undefined) throw invalidInput("options.extraction", "is false, but options.llm is set: the model would never be used. Remove one of them.");
    return null;
  }
  if (options !== undefined && !isPlainObject(options as unknown)) throw invalidInput("options.extraction", "must be an object such as { batchSize: 20, concurrency: 2 }, or false.");
  const given = options ?? {};
  rejectUnknownFields(given, FIELDS, "options.extraction");
  const integer = (field: keyof ExtractionOptions, fallback: number, max: number): number =>
    given[field] === undefined ? fallback : requireInteger(given[field], `options.extraction.${field}`, { min: 1, max });
  if (given.background !== undefined && typeof given.background !== "boolean") throw invalidInput("options.extraction.background", `must be true or false, got ${String(given.background)}.`);
  return {
    llm: llm ?? null,
    batchSize: integer("batchSize", 20, 1_000),
    concurrency: integer("concurrency", 2, 64),
    maxAttempts: integer("maxAttempts", 4, 100),
    leaseMs: integer("leaseMs", 300_000, 86_400_000),
    retryDelayMs: integer("retryDelayMs", 2_000, 3_600_000),
    background: given.background ?? true,
  };
}

/** The store query `memory.jobs.list(options)` asks for. */
export function validateJobQuery(options: unknown): JobQuery {
  if (!isPlainObject(options)) throw invalidInput("options", "must be an object { status?, limit?, before? }.");
  rejectUnknownFields(options, ["status", "limit", "before"], "options");
  const status = options["status"];
  const statuses = status === undefined ? undefined : (Array.isArray(status) ? status : [status]).map((value, index) => jobStatus(value, Array.isArray(status) ? `options.status[${index}]` : "options.status"));
  return {
    ...(statuses === undefined ? {} : { statuses }),
    limit: options["limit"] === undefined ? 50 : requireInteger(options["limit"], "options.limit", { min: 1, max: 10_000 }),
    ...(options["before"] === undefined ? {} : { beforeId: requireInteger(options["before"], "options.before", { min: 1, max: Number.MAX_SAFE_INTEGER }) }),
  };
}

export function validateJobIds(ids: unknown): number[] {
  if (!Array.isArray(ids) || ids.length === 0) throw invalidInput("ids", "must be a non-empty array of job ids (from memory.jobs.list()), or left out to replay every dead job.");
  return ids.map((id, index) => requireInteger(id, `ids[${index}]`, { min: 1, max: Number.MAX_SAFE_INTEGER }));
}

function jobStatus(value: unknown, field: string): JobStatus {
  if (!JOB_STATUSES.includes(value as JobStatus)) throw invalidInput(field, `"${String(value)}" is not a job status. Use one of: ${JOB_STATUSES.join(", ")}.`);
  return value as JobStatus;
}

function isLanguageModel(llm: LanguageModel): boolean {
  return llm !== null && typeof llm === "object" && typeof llm.completeJson === "function" && typeof llm.name === "string" && typeof llm.usage === "function";
}
