/** Capitalised words that start sentences or stand for the speaker carry no topic; nor do these. */
const NOT_KEYWORDS = new Set(
  `i im ive id ill me my we us our you your he him his she her they them their it its this that these those the a an and or but so
  if oh ok okay yes no hey hi hello thanks thank wow yeah sure well great cool nice good awesome really just also what when where
  who why how which there here then now today tomorrow yesterday monday tuesday wednesday thursday friday saturday sunday mr mrs ms dr`.split(/\s+/),
);

const MAX_KEYWORDS = 32;

/**
 * The names and terms a text mentions, found without a model: capitalised words that do not begin a
 * sentence ("we drove to Lisbon with Rex") and acronyms ("LGBTQ", "NASA"), lower-cased, possessives
 * dropped, at most 32 in order of first mention. They are the nodes of recall's keyword graph.
 *
 * @example
 * extractKeywords("Yesterday Ana took Rex to the NASA museum in Houston.") // ["ana", "rex", "nasa", "houston"]
 */
export function extractKeywords(text: string): string[] {
  const keywords = new Set<string>();
  // Only words that start with a capital can be keywords: skipping the rest keeps ingest fast.
  for (const match of text.matchAll(/(?<![\p{L}\p{N}'’-])\p{Lu}[\p{L}\p{N}'’-]*/gu)) {
    const word = match[0].replace(/['’]s$/u, "").replace(/['’-]+$/u, "");
    const acronym = word.length >= 2 && /^[\p{Lu}\p{N}]+$/u.test(word) && /\p{Lu}/u.test(word);
    const capitalised = /^\p{Lu}\p{Ll}/u.test(word) && !startsSentence(text, match.index);
    if (!acronym && !capitalised) continue;
    const keyword = word.toLowerCase();
    if (keyword.length < 2 || NOT_KEYWORDS.has(keyword.replace(/['’]/gu, ""))) continue;
    keywords.add(keyword);
    if (keywords.size >= MAX_KEYWORDS) break;
  }
  return [...keywords];
}

/** True at the start of the text or after a sentence end (. ! ? or a line break), quotes and spaces skipped. */
function startsSentence(text: string, index: number): boolean {
  let at = index - 1;
  while (at >= 0 && /[\s"“‘'([]/u.test(text[at]!)) at -= 1;
  return at < 0 || /[.!?…:\n]/u.test(text[at]!);
}
