import { createHash } from "node:crypto";
import { MemoryError, invalidInput } from "./memory-error.js";
import { toEpochMs } from "./time.js";
import { EVENT_KINDS, EVENT_ROLES, type Attachment, type EventInput, type EventKind, type EventRole } from "./types.js";
import { isPlainObject, requireString, rejectUnknownFields } from "./validate.js";

export interface EventLimits {
  /** Longest accepted event text, in characters. */
  maxTextChars: number;
  /** Largest accepted metadata object, in characters of JSON. */
  maxMetadataChars: number;
}

export const DEFAULT_EVENT_LIMITS: EventLimits = { maxTextChars: 32_768, maxMetadataChars: 16_384 };

/** An event that passed validation; `occurredAt` stays null when the caller gave none. */
export interface ValidEvent {
  idempotencyKey: string | null;
  /** The space as given, or the default: the same event re-sent with or without it is the same content. */
  space: string;
  kind: EventKind;
  role: EventRole | null;
  speaker: string | null;
  sessionId: string | null;
  text: string;
  attachments: Attachment[];
  metadata: Record<string, unknown>;
  occurredAt: number | null;
  /** Identifies the content as sent, so a re-sent key with other content is caught. */
  contentHash: string;
}

const EVENT_FIELDS = ["text", "idempotencyKey", "space", "kind", "role", "speaker", "sessionId", "occurredAt", "attachments", "metadata"];
const ATTACHMENT_FIELDS = ["kind", "caption", "url"];
const MAX_ATTACHMENTS = 16;
const MAX_SHORT_STRING = 256;

export function validateEvent(input: unknown, path: string, limits: EventLimits, defaultSpace: string): ValidEvent {
  if (!isPlainObject(input)) {
    throw invalidInput(path, `must be an object with at least a "text" field, got ${describe(input)}.`);
  }
  rejectUnknownFields(input, EVENT_FIELDS, path);
  const event = input as Partial<EventInput>;
  const text = requireString(event.text, `${path}.text`, { maxLength: Number.MAX_SAFE_INTEGER });
  if (text.trim() === "") throw invalidInput(`${path}.text`, "must not be empty or only whitespace.");
  if (text.length > limits.maxTextChars) {
    throw new MemoryError(
      "too_large",
      `${path}.text: is ${text.length} characters, over the limit of ${limits.maxTextChars}. Split it into several events, or raise limits.maxTextChars.`,
      { details: { field: `${path}.text`, length: text.length, limit: limits.maxTextChars } },
    );
  }
  const kind = optionalEnum(event.kind, EVENT_KINDS, `${path}.kind`) ?? "message";
  const role = optionalEnum(event.role, EVENT_ROLES, `${path}.role`);
  const valid: Omit<ValidEvent, "contentHash"> = {
    idempotencyKey: optionalShortString(event.idempotencyKey, `${path}.idempotencyKey`),
    space: optionalShortString(event.space, `${path}.space`) ?? defaultSpace,
    kind,
    role,
    speaker: optionalShortString(event.speaker, `${path}.speaker`),
    sessionId: optionalShortString(event.sessionId, `${path}.sessionId`),
    text,
    attachments: validateAttachments(event.attachments, `${path}.attachments`),
    metadata: validateMetadata(event.metadata, `${path}.metadata`, limits.maxMetadataChars),
    occurredAt: event.occurredAt === undefined || event.occurredAt === null ? null : toEpochMs(event.occurredAt, `${path}.occurredAt`),
  };
  return { ...valid, contentHash: hashContent(valid) };
}

export function validateMetadata(value: unknown, field: string, maxChars: number): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw invalidInput(field, `must be a plain object, got ${describe(value)}.`);
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new MemoryError("invalid_input", `${field}: must be JSON-serialisable (${(error as Error).message}).`, {
      details: { field },
      cause: error,
    });
  }
  if (json.length > maxChars) {
    throw new MemoryError("too_large", `${field}: is ${json.length} characters of JSON, over the limit of ${maxChars}. Keep large data in the text or elsewhere.`, {
      details: { field, length: json.length, limit: maxChars },
    });
  }
  return JSON.parse(json) as Record<string, unknown>;
}

function validateAttachments(value: unknown, field: string): Attachment[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidInput(field, `must be an array of { kind, caption?, url? }, got ${describe(value)}.`);
  if (value.length > MAX_ATTACHMENTS) throw invalidInput(field, `has ${value.length} attachments; at most ${MAX_ATTACHMENTS} are accepted.`);
  return value.map((item: unknown, index) => {
    const path = `${field}[${index}]`;
    if (!isPlainObject(item)) throw invalidInput(path, `must be an object { kind, caption?, url? }, got ${describe(item)}.`);
    rejectUnknownFields(item, ATTACHMENT_FIELDS, path);
    const attachment: Attachment = { kind: requireString(item["kind"], `${path}.kind`, { maxLength: MAX_SHORT_STRING }) };
    if (item["caption"] !== undefined) attachment.caption = requireString(item["caption"], `${path}.caption`, { maxLength: 4_096 });
    if (item["url"] !== undefined) attachment.url = requireString(item["url"], `${path}.url`, { maxLength: 4_096 });
    return attachment;
  });
}

function optionalShortString(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  const text = requireString(value, field, { maxLength: MAX_SHORT_STRING });
  if (text.trim() === "") throw invalidInput(field, "must not be empty; leave the field out instead.");
  return text;
}

function optionalEnum<T extends string>(value: unknown, allowed: readonly T[], field: string): T | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw invalidInput(field, `must be one of ${allowed.map((item) => `"${item}"`).join(", ")}, got ${describe(value)}.`);
  }
  return value as T;
}

function hashContent(event: Omit<ValidEvent, "contentHash">): string {
  const { idempotencyKey: _key, ...content } = event;
  return createHash("sha256").update(JSON.stringify(canonical(content))).digest("base64url");
}

/** The same value with object keys sorted, so `{ a, b }` and `{ b, a }` hash alike. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string "${value.length > 40 ? `${value.slice(0, 37)}...` : value}"`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}
