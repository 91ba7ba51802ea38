import type { BenchCase, BenchQuestion, BenchSession } from "../neutral-format.js";

/** LoCoMo's numeric categories; 5 (adversarial, unanswerable) is left out of recall figures. */
const CATEGORIES: Record<number, string> = { 1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop" };
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

interface LocomoTurn {
  speaker: string;
  dia_id: string;
  text: string;
  blip_caption?: string;
}

interface LocomoConversation {
  sample_id: string;
  conversation: Record<string, unknown>;
  qa: { question: string; answer?: unknown; evidence?: string[]; category: number }[];
}

/**
 * LoCoMo (locomo10.json) in the neutral format: one case per conversation; image turns keep their
 * BLIP caption as an attachment; evidence ids are normalised as BENCHMARKS.md says, and questions left
 * with no evidence, or of category 5, are dropped.
 */
export function convertLocomo(data: unknown): BenchCase[] {
  if (!Array.isArray(data)) throw new Error("LoCoMo data must be a JSON array of conversations (locomo10.json).");
  return (data as LocomoConversation[]).map((conversation, index) => {
    if (typeof conversation?.sample_id !== "string" || typeof conversation.conversation !== "object") {
      throw new Error(`Conversation ${index} has no sample_id or conversation: is this locomo10.json?`);
    }
    const sessions = readSessions(conversation);
    const turnIds = new Set(sessions.flatMap((session) => session.turns.map((turn) => turn.id)));
    const questions = conversation.qa.flatMap((qa, q): BenchQuestion[] => {
      const category = CATEGORIES[qa.category];
      const evidence = normaliseEvidence(qa.evidence ?? [], turnIds);
      if (category === undefined || evidence.length === 0) return [];
      return [{ id: `${conversation.sample_id}/q${q}`, question: qa.question, answer: String(qa.answer ?? ""), category, evidence }];
    });
    return { id: conversation.sample_id, sessions, questions };
  });
}

function readSessions(conversation: LocomoConversation): BenchSession[] {
  const numbers = Object.keys(conversation.conversation)
    .map((key) => /^session_(\d+)$/.exec(key)?.[1])
    .filter((number): number is string => number !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  return numbers.map((number) => {
    const turns = conversation.conversation[`session_${number}`] as LocomoTurn[];
    const rawDate = conversation.conversation[`session_${number}_date_time`];
    const date = typeof rawDate === "string" ? parseLocomoDate(rawDate) : undefined;
    return {
      id: `S${number}`,
      ...(date === undefined ? {} : { date }),
      turns: turns.map((turn) => ({
        id: normaliseTurnId(turn.dia_id),
        text: turn.text,
        speaker: turn.speaker,
        ...(turn.blip_caption ? { attachments: [{ kind: "image", caption: turn.blip_caption }] } : {}),
      })),
    };
  });
}

/** "1:56 pm on 8 May, 2023" → "2023-05-08T13:56:00.000Z" (LoCoMo gives no zone; UTC is assumed). */
export function parseLocomoDate(text: string): string | undefined {
  const match = /^(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([a-z]+),?\s+(\d{4})$/i.exec(text.trim());
  if (!match) return undefined;
  const [, hour, minute, meridiem, day, monthName, year] = match;
  const month = MONTHS.indexOf(monthName!.toLowerCase());
  if (month < 0) return undefined;
  const hours = (Number(hour) % 12) + (meridiem!.toLowerCase() === "pm" ? 12 : 0);
  return new Date(Date.UTC(Number(year), month, Number(day), hours, Number(minute))).toISOString();
}

/** Splits on ; , and spaces, maps D:11:26 to D11:26, drops leading zeros and ids not in the conversation. */
export function normaliseEvidence(evidence: readonly string[], turnIds: ReadonlySet<string>): string[] {
  const ids = evidence.flatMap((item) => item.split(/[;,\s]+/)).map(normaliseTurnId);
  return [...new Set(ids)].filter((id) => turnIds.has(id));
}

function normaliseTurnId(id: string): string {
  const match = /^D:?(\d+):(\d+)$/.exec(id.trim());
  return match ? `D${Number(match[1])}:${Number(match[2])}` : id.trim();
}
