import { InvalidArgumentError } from "commander";
import { MEMORY_KINDS, type MemoryKind } from "../domain/types.js";

/** A repeatable flag's parser. Starting undefined rather than [] keeps "(default: [])" out of the help. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A repeatable --kind, checked as it is parsed. */
export function collectKind(value: string, previous: MemoryKind[] | undefined): MemoryKind[] {
  if (!MEMORY_KINDS.includes(value as MemoryKind)) throw new InvalidArgumentError(`--kind must be one of ${MEMORY_KINDS.join(", ")}.`);
  return [...(previous ?? []), value as MemoryKind];
}

/** On one line, cut to `width` characters. */
export function shortened(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}
