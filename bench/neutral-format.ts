import type { EventInput, EventRole } from "../src/index.js";

/** One case of the neutral bench format (BENCHMARKS.md): a conversation and questions about it. */
export interface BenchCase {
  id: string;
  sessions: BenchSession[];
  questions: BenchQuestion[];
}

export interface BenchSession {
  id: string;
  /** ISO 8601; optional in the format. */
  date?: string;
  turns: BenchTurn[];
}

export interface BenchTurn {
  id: string;
  text: string;
  speaker?: string;
  role?: EventRole;
  attachments?: { kind: string; caption?: string }[];
}

export interface BenchQuestion {
  id: string;
  question: string;
  date?: string;
  answer?: string;
  category?: string;
  /** Turn ids. */
  evidence: string[];
}

/** A neutral-format line that is not valid, with where it is. */
export class BenchFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = "BenchFormatError";
  }
}

/** Parses JSONL text into cases, checking every field the bench relies on. */
export function parseBenchCases(text: string): BenchCase[] {
  const cases: BenchCase[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new BenchFormatError(line, `is not valid JSON (${(error as Error).message}).`);
    }
    cases.push(checkCase(value, line));
  });
  return cases;
}

export function isBenchCase(value: unknown): boolean {
  return typeof value === "object" && value !== null && Array.isArray((value as { sessions?: unknown }).sessions);
}

/** The events a case's sessions become: one per turn, keyed so re-ingesting is a no-op. */
export function caseToEvents(benchCase: BenchCase): EventInput[] {
  return benchCase.sessions.flatMap((session) =>
    session.turns.map(
      (turn): EventInput => ({
        text: turn.text,
        idempotencyKey: `${benchCase.id}/${turn.id}`,
        sessionId: session.id,
        ...(turn.speaker === undefined ? {} : { speaker: turn.speaker }),
        ...(turn.role === undefined ? {} : { role: turn.role }),
        ...(session.date === undefined ? {} : { occurredAt: session.date }),
        ...(turn.attachments === undefined ? {} : { attachments: turn.attachments }),
        metadata: { turnId: turn.id },
      }),
    ),
  );
}

function checkCase(value: unknown, line: number): BenchCase {
  const fail = (message: string): never => {
    throw new BenchFormatError(line, message);
  };
  const object = (item: unknown, path: string): Record<string, unknown> =>
    typeof item === "object" && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : fail(`${path} must be an object.`);
  const string = (item: unknown, path: string): string => (typeof item === "string" && item !== "" ? item : fail(`${path} must be a non-empty string.`));
  const optionalString = (item: unknown, path: string): string | undefined => (item === undefined || item === null ? undefined : string(item, path));
  const array = (item: unknown, path: string): unknown[] => (Array.isArray(item) ? item : fail(`${path} must be an array.`));

  const root = object(value, "the case");
  const id = string(root["id"], "id");
  const sessions = array(root["sessions"], "sessions").map((rawSession, s): BenchSession => {
    const session = object(rawSession, `sessions[${s}]`);
    const date = optionalString(session["date"], `sessions[${s}].date`);
    if (date !== undefined && Number.isNaN(Date.parse(date))) fail(`sessions[${s}].date "${date}" is not an ISO 8601 date.`);
    const turns = array(session["turns"], `sessions[${s}].turns`).map((rawTurn, t): BenchTurn => {
      const path = `sessions[${s}].turns[${t}]`;
      const turn = object(rawTurn, path);
      const role = optionalString(turn["role"], `${path}.role`);
      if (role !== undefined && role !== "user" && role !== "assistant") fail(`${path}.role must be "user" or "assistant".`);
      const attachments =
        turn["attachments"] === undefined
          ? undefined
          : array(turn["attachments"], `${path}.attachments`).map((rawAttachment, a) => {
              const attachment = object(rawAttachment, `${path}.attachments[${a}]`);
              const caption = optionalString(attachment["caption"], `${path}.attachments[${a}].caption`);
              return { kind: string(attachment["kind"], `${path}.attachments[${a}].kind`), ...(caption === undefined ? {} : { caption }) };
            });
      const speaker = optionalString(turn["speaker"], `${path}.speaker`);
      return {
        id: string(turn["id"], `${path}.id`),
        text: string(turn["text"], `${path}.text`),
        ...(speaker === undefined ? {} : { speaker }),
        ...(role === undefined ? {} : { role: role as EventRole }),
        ...(attachments === undefined ? {} : { attachments }),
      };
    });
    return { id: string(session["id"], `sessions[${s}].id`), ...(date === undefined ? {} : { date }), turns };
  });
  const questions = array(root["questions"] ?? [], "questions").map((rawQuestion, q): BenchQuestion => {
    const question = object(rawQuestion, `questions[${q}]`);
    const evidence = array(question["evidence"] ?? [], `questions[${q}].evidence`).map((item, e) => string(item, `questions[${q}].evidence[${e}]`));
    const date = optionalString(question["date"], `questions[${q}].date`);
    const answer = question["answer"] === undefined || question["answer"] === null ? undefined : String(question["answer"]);
    const category = optionalString(question["category"], `questions[${q}].category`);
    return {
      id: string(question["id"], `questions[${q}].id`),
      question: string(question["question"], `questions[${q}].question`),
      evidence,
      ...(date === undefined ? {} : { date }),
      ...(answer === undefined ? {} : { answer }),
      ...(category === undefined ? {} : { category }),
    };
  });
  return { id, sessions, questions };
}
