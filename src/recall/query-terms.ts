/** Words that carry no meaning for matching; removed unless a query has nothing else. */
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by can
  could did do does doing down during each few for from further had has have having he her here hers herself him himself his how
  i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out
  over own same she should so some such than that the their theirs them themselves then there these they this those through to
  too under until up very was we were what when where which while who whom why will with would you your yours yourself
  yourselves s t ll re ve d m don didn doesn isn wasn weren`.split(/\s+/),
);

const MAX_TERMS = 64;

/** Whether a lower-case word carries no meaning for matching ("the", "did", "s"). */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** The distinct lower-case words of a query to match on, in query order. */
export function queryTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const distinct = [...new Set(words)];
  const meaningful = distinct.filter((word) => !STOP_WORDS.has(word));
  return (meaningful.length > 0 ? meaningful : distinct).slice(0, MAX_TERMS);
}
