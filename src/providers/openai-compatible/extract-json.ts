/**
 * Finds the JSON in a model's reply: the whole text, else the first ```json (or bare ```) fenced block,
 * else the span from the first `{` or `[` to the last matching `}` or `]`. Models without a JSON mode
 * often wrap their answer in a fence or a sentence. Returns the parse error of the whole text when none parses.
 */
export function extractJson(text: string): { value: unknown } | { error: Error } {
  const whole = tryParse(text.trim());
  if ("value" in whole) return whole;
  const fenced = /```(?:json|JSON)?[ \t]*\r?\n?([\s\S]*?)```/.exec(text)?.[1];
  if (fenced !== undefined) {
    const inFence = tryParse(fenced.trim());
    if ("value" in inFence) return inFence;
  }
  for (const [open, close] of [["{", "}"], ["[", "]"]] as const) {
    const start = text.indexOf(open);
    const end = text.lastIndexOf(close);
    if (start !== -1 && end > start) {
      const span = tryParse(text.slice(start, end + 1));
      if ("value" in span) return span;
    }
  }
  return whole;
}

function tryParse(text: string): { value: unknown } | { error: Error } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}
