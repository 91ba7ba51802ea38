/** A place in a text file, both 1-based, as editors show it. */
export interface TextPosition {
  line: number;
  column: number;
}

/** The line and column of each offset; `offsets` must be ascending (one pass over the text). */
export function textPositions(text: string, offsets: readonly number[]): TextPosition[] {
  const positions: TextPosition[] = [];
  let line = 1;
  let lineStart = 0;
  let cursor = 0;
  for (const offset of offsets) {
    for (; cursor < offset && cursor < text.length; cursor += 1) {
      if (text.charCodeAt(cursor) === 10) {
        line += 1;
        lineStart = cursor + 1;
      }
    }
    positions.push({ line, column: offset - lineStart + 1 });
  }
  return positions;
}

export function textPosition(text: string, offset: number): TextPosition {
  return textPositions(text, [offset])[0]!;
}

const SNIPPET_WIDTH = 72;

/** The line with a caret under the column, shortened around it when long: for error messages. */
export function caretSnippet(lineText: string, line: number, column: number): string {
  const clean = lineText.replace(/\r$/, "").replace(/\t/g, " ");
  const start = Math.max(0, Math.min(column - 1 - SNIPPET_WIDTH / 2, clean.length - SNIPPET_WIDTH));
  const prefix = start > 0 ? "…" : "";
  const suffix = start + SNIPPET_WIDTH < clean.length ? "…" : "";
  const shown = prefix + clean.slice(start, start + SNIPPET_WIDTH) + suffix;
  const gutter = String(line);
  return `  ${gutter} | ${shown}\n  ${" ".repeat(gutter.length)} | ${" ".repeat(prefix.length + column - 1 - start)}^`;
}
