import { extractKeywords } from "../domain/extract-keywords.js";
import type { MemoryOrigin } from "../domain/types.js";

/** The line a memory takes in an assembled context, without its date (dates become shared headers). */
export function renderMemoryLine(memory: { kind: string; text: string; origin: MemoryOrigin | null }): string {
  const speaker = memory.origin?.speaker;
  const prefix = speaker ? `${speaker}: ` : memory.kind === "episode" ? "" : `(${memory.kind}) `;
  const captions = (memory.origin?.attachments ?? [])
    .filter((attachment) => attachment.caption)
    .map((attachment) => ` [${attachment.kind}: ${attachment.caption}]`)
    .join("");
  return `${prefix}${oneLine(memory.text)}${captions}`;
}

/** The words indexed beside the text, at a lower weight. */
export function indexExtra(origin: MemoryOrigin | null): string {
  if (!origin) return "";
  return [origin.speaker ?? "", ...origin.attachments.map((attachment) => attachment.caption ?? "")].filter(Boolean).join(" ");
}

/** The keywords of a memory's text and its attachments' captions (not the speaker, who is in every turn). */
export function memoryKeywords(text: string, origin: MemoryOrigin | null): string[] {
  const captions = (origin?.attachments ?? []).flatMap((attachment) => (attachment.caption ? [attachment.caption] : []));
  return extractKeywords([text, ...captions].join("\n"));
}

/** The header a group of items from one day sits under; null when the memory has no world time. */
export function dateHeader(validFrom: string | null): string | null {
  return validFrom === null ? null : `[${validFrom.slice(0, 10)}]`;
}

function oneLine(text: string): string {
  return /[\r\n\u2028\u2029]/.test(text) ? text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ") : text;
}
