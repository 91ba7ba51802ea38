import { toIso } from "../../domain/time.js";
import { ADMITTED_ALWAYS } from "../../domain/admit.js";
import type { AdmissionRecord, AdmissionStatus } from "../../domain/spaces.js";
import type { MemoryKind, MemoryOrigin, MemoryRecord } from "../../domain/types.js";
import type { Candidate } from "../store.js";

/** A row of `memories` joined with its space name, as the SELECTs below return it. */
export interface MemoryRow {
  row_id: number;
  id: string;
  version: number;
  replaces_version: number | null;
  space_name: string;
  author_id: string;
  kind: string;
  text: string;
  tokens: number;
  metadata: string;
  importance: number;
  origin: string | null;
  source_event_ids: string;
  session_id: string | null;
  session_pos: number | null;
  valid_from: number | null;
  valid_to: number | null;
  recorded_at: number;
  superseded_at: number | null;
  forgotten_at: number | null;
  admission: string;
  admission_why: string | null;
}

export const MEMORY_COLUMNS = `m.row_id, m.id, m.version, m.replaces_version, s.name AS space_name, m.author_id, m.kind,
  m.text, m.tokens, m.metadata, m.importance, m.origin, m.source_event_ids, m.session_id, m.session_pos, m.valid_from, m.valid_to,
  m.recorded_at, m.superseded_at, m.forgotten_at, m.admission, m.admission_why`;

export function toMemoryRecord(row: MemoryRow): MemoryRecord {
  return {
    id: row.id,
    version: row.version,
    replacesVersion: row.replaces_version,
    kind: row.kind as MemoryKind,
    text: row.text,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    importance: row.importance,
    space: row.space_name,
    author: row.author_id,
    sourceEventIds: JSON.parse(row.source_event_ids) as string[],
    origin: row.origin === null ? null : (JSON.parse(row.origin) as MemoryOrigin),
    validFrom: toIso(row.valid_from),
    validTo: toIso(row.valid_to),
    recordedAt: toIso(row.recorded_at),
    supersededAt: toIso(row.superseded_at),
    forgottenAt: toIso(row.forgotten_at),
    admission: toAdmissionRecord(row.admission, row.admission_why),
  };
}

/** Memories stored before admission existed (or under `always`) carry no JSON: they were simply admitted. */
export function toAdmissionRecord(status: string, why: string | null): AdmissionRecord {
  if (why === null) return ADMITTED_ALWAYS;
  return { ...(JSON.parse(why) as Omit<AdmissionRecord, "status">), status: status as AdmissionStatus };
}

/** The columns a candidate needs, over `m` memories and `s` spaces. */
export const CANDIDATE_COLUMNS = "m.row_id, m.id, m.version, m.tokens, m.author_id, m.valid_from, m.session_id, m.session_pos, s.name AS space_name";

export interface CandidateRow {
  row_id: number;
  id: string;
  version: number;
  tokens: number;
  author_id: string;
  valid_from: number | null;
  session_id: string | null;
  session_pos: number | null;
  space_name: string;
}

export function toCandidate(row: CandidateRow, score: number): Candidate {
  return {
    key: row.row_id,
    id: row.id,
    version: row.version,
    score,
    tokens: row.tokens,
    author: row.author_id,
    validFrom: row.valid_from,
    position: row.session_id === null || row.session_pos === null ? null : { space: row.space_name, session: row.session_id, position: row.session_pos },
  };
}
