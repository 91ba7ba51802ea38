import { extractKeywords } from "../../domain/extract-keywords.js";
import { findTimeExpressions, type TimeExpression } from "../../recall/time-expressions.js";
import type { ExtractedKind, ExtractedMemory, SourceTurn } from "./extracted-memory.js";

/** Only the start of a turn is read, so that a pasted document costs no more than a long message. */
const MAX_SCANNED = 2_000;
const FACT_IMPORTANCE = 0.6;
const EVENT_IMPORTANCE = 0.5;
const MAX_OBJECT_WORDS = 12;

const ADVERBS = String.raw`(?:(?:just|recently|finally|actually|also|really|currently|still|now|absolutely|totally|truly|honestly|genuinely|definitely|originally)\s+){0,2}`;
const NAME = String.raw`\p{Lu}\p{Ll}+(?:[\s-]\p{Lu}\p{Ll}+){0,2}`;

/** The statements read, each anchored where a first-person subject ("I", "I'm", "my") starts. */
const HOME = new RegExp(String.raw`I(?:\s+(am|have)|['’](m|ve))?\s+(${ADVERBS})(live|living|lived|used\s+to\s+live|been\s+living|moved|relocated)\s+(in|to)\s+`, "iuy");
const ORIGIN = new RegExp(String.raw`I(?:\s+am\s+|['’]m\s+|\s+)(${ADVERBS})(from|come\s+from)\s+`, "iuy");
const WORK = new RegExp(String.raw`I\s+(${ADVERBS})(work|worked)\s+(as|at|for)\s+`, "iuy");
const IDENTITY = new RegExp(String.raw`I(?:\s+am|['’]m)\s+(${ADVERBS})(an?)\s+`, "iuy");
const LIKING = new RegExp(String.raw`I\s+(${ADVERBS})(do\s+not\s+|don['’]t\s+)?(like|love|enjoy|prefer|adore|hate|dislike|detest)\s+`, "iuy");
const FAVORITE = new RegExp(String.raw`my\s+((?:all[\s-]time\s+)?(?:favou?rite|fave))\s+(\p{L}+(?:\s+\p{L}+){0,2}?)\s+is\s+`, "iuy");
const NAMED = new RegExp(String.raw`[Mm]y\s+name\s+is\s+(${NAME})(?![\p{L}\p{N}])`, "uy");
const HAS_NAMED = new RegExp(String.raw`I(?:\s+have|['’]ve)(?:\s+got)?\s+(an?)\s+(\p{Ll}+(?:\s+\p{Ll}+){0,2})\s+(?:named|called)\s+(${NAME})(?![\p{L}\p{N}])`, "uy");
const MY_NAMED = new RegExp(String.raw`[Mm]y\s+(best\s+friend|\p{Ll}+)\s+(${NAME})(?![\p{L}\p{N}])`, "uy");
const PAST_ACTION = new RegExp(String.raw`I\s+(${ADVERBS})(\p{Ll}+)\s+`, "uy");

/** Where a first-person subject may start a statement. */
const SUBJECT = /(?<![\p{L}\p{N}'’])(?:I(?=\s|['’][mv])|i(?=\s)|[Mm]y(?=\s))/gu;
/** Words before the subject that make what follows unasserted: a condition, a wish, someone else's words, a question, a negation. */
const UNASSERTED_LEAD =
  /(?<![\p{L}'’])(?:if|unless|whether|would|could|should|might|must|wish|wishes|imagine|pretend|suppose|supposing|say|says|said|tell|tells|told|ask|asks|asked|think|thinks|thought|believe|believes|hope|hopes|maybe|perhaps|guess|dream|dreamt|dreamed|feel|felt|seem|seems|kidding|joking|that|what|who|whom|where|why|how|which|when|whenever|while|once|before|after|until|because|do|does|did|can|will|you|he|she|they|we|not|never)(?![\p{L}'’])|n['’]t(?![\p{L}])|["“”«»]/iu;
/** The lead must end a clause, or be a connective, interjection or time word: so "the guy I met" is not read as "I met". */
const LEAD_END =
  /(?:^|[,;:!\-–—]|(?<![\p{L}'’])(?:and|but|so|then|also|now|well|oh|yeah|yes|no|ok|okay|actually|honestly|anyway|btw|finally|recently|today|yesterday|tonight|night|morning|afternoon|evening|weekend|week|month|year|ago|earlier|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|spring|summer|autumn|fall|winter|\d+(?:st|nd|rd|th)?))\s*$/iu;
const QUOTE = /["“”«»]/u;
/** Where the clause of a statement ends. */
const CLAUSE_END =
  /[,;:!…]|\s[-–—]\s|\s(?:but|and\s+(?:I|i|it|he|she|they|we|you|then|so|that|this|there|me|my|now|wow|oh|omg|lol|haha)|or|because|cause|cuz|so|which|who|whom|whose|where|when|while|although|though|if|unless|until|before|after|as|except|whereas|plus|than|lol|haha|btw)(?!\p{L})/u;
/** Trailing words that add nothing to a memory or only hold in the moment the turn was said. */
const TRAILING_FILLER =
  /(?:\s+(?:now|currently|originally|together|these\s+days|at\s+the\s+moment|right\s+now|too|as\s+well|though|actually|honestly|really|anymore|either|a\s+lot|so\s+much|very\s+much|much|at\s+all|lol|haha|tbh|btw))+$/iu;
/** Objects that only make sense in the conversation, or are not objects at all ("I love it", "I like how…"). */
const VAGUE_OBJECT =
  /^(?:that|what|how|when|where|why|who|which|whether|if|so|also|too|really|just|even|still|actually|not|never|more|(?:a\s+few|some|one|a\s+couple)\s+more|one|ones|something|anything|everything|nothing|someone|anyone|everyone|stuff|things|the\s+(?:first|second|third|last|other|former|latter|same|previous|next|above|following|idea|option|one|ones)|to\s+(?:say|admit|think|ask|tell|bother|interrupt|break|see|hear|imagine|believe|know|be))(?![\p{L}'’])/iu;
/** Pronouns left in an object would leave the memory unresolved ("Ana likes her"); "my" is rewritten instead. */
const PRONOUN = /(?<![\p{L}'’])(?:I|me|myself|mine|here|there|you|your|yours|yourself|we|us|our|ours|he|him|his|she|her|hers|they|them|their|theirs|it|its|itself|this|these|those)(?![\p{L}'’])/u;
/** What an object may be made of; anything else (but emoji after a space) rejects the statement. */
const OBJECT_CHARACTERS = /^[\p{L}\p{N}\s'’&.+#/"“”()-]*/u;
const TIME_CUE = /\d|ago|day|night|morning|afternoon|evening|week|month|year|last|past|since|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|spring|summer|autumn|fall|winter/i;
const SENTENCE_BREAK = /(?<=[.!?…])\s+|\s*\n\s*/u;
const ABBREVIATION_END = /(?:^|\s)(?:St|Dr|Mr|Mrs|Ms|Mt|Ft|Jr|Sr|Prof|vs|etc)\.$/u;

const IDENTITY_NOT = /^(?:bit|little|lot|tad|mess|wreck|few|couple|total|complete|sucker)(?!\p{L})|(?<!\p{L})fan$/iu;
/** "I love the colors" is mostly about something shown in the conversation: a liked thing must stand on its own. */
const DEICTIC_THING = /^(?:all\s+)?(?:the|those|these)\s+(?!\p{Lu})/u;
/** An object cut short: "I love to." */
const DANGLING_END = /(?<![\p{L}'’])(?:to|of|for|with|at|in|on|the|a|an|and|or|about|from|by|into|than|like|so|very|really|not)$/iu;
const PETS = new Set(["dog", "cat", "puppy", "kitten", "pet", "horse", "pony", "bird", "parrot", "rabbit", "bunny", "hamster", "guinea pig", "turtle", "snake", "lizard", "fish"]);
const RELATIVES = new Set(["son", "daughter", "kid", "child", "husband", "wife", "partner", "boyfriend", "girlfriend", "fiance", "fiancé", "fiancée", "brother", "sister", "mom", "mum", "mother", "dad", "father", "grandma", "grandmother", "grandpa", "grandfather", "aunt", "uncle", "cousin", "niece", "nephew", "friend", "best friend", "roommate", "neighbor", "neighbour", "boss", "colleague", "coworker"]);
const NOT_NAMES = new Set(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "christmas", "easter", "thanksgiving", "and", "but", "the"]);
const IRREGULAR_PAST = new Set(
  `went ran saw met got had took made bought ate drank began wrote won lost found gave flew drove left came sent spent built caught taught
  brought heard held kept sang swam sat slept spoke stood threw woke wore rode fell fed became broke chose drew fought hid paid sold shot stole
  tore grew blew beat fled forgave froze hung lit led overcame rang rose sought shook sank slid spun sprang stuck swept swung underwent`.split(/\s+/),
);
/** Regular past forms that state a mind rather than report an action, and present forms that end in "ed". */
const NOT_ACTIONS = new Set(
  `wanted needed loved liked hated hoped wished used supposed seemed believed guessed figured assumed expected intended imagined wondered
  considered worried mentioned preferred pretended meant need feed bleed breed speed proceed succeed exceed indeed shed`.split(/\s+/),
);
const THIRD_PERSON: Readonly<Record<string, string>> = { like: "likes", love: "loves", enjoy: "enjoys", prefer: "prefers", adore: "adores", hate: "hates", dislike: "dislikes", detest: "detests" };

/** A statement found in a sentence, before the object is read. */
interface Statement {
  kind: ExtractedKind;
  /** The text before the object, subject included: "Ana moved to". */
  head: string;
  /** Where the object starts in the sentence. */
  objectStart: number;
  /** The memory is only the head ("Ana has a dog named Rex."), with no object read. */
  closed?: boolean;
  slot: ((object: string) => string) | null;
  tags: string[];
  object?: (object: string) => boolean;
}

interface Subject {
  name: string;
  /** The name inside a sentence: "the user" for "The user". */
  inner: string;
  key: string;
}

/**
 * Memories found without a model in what a speaker says about themselves: where they live or moved to,
 * where they are from, what they are and where they work, what they like, love, hate or call their
 * favourite, their name, named pets and people ("my dog Rex"), and dated past actions ("Yesterday I went
 * to a support group"). It favours precision: questions, conditions, wishes, negated statements other
 * than "I don't like", reported speech and statements left with a pronoun ("I love it") give nothing.
 *
 * Statements are rewritten in the third person with the speaker's name ("The user" for an unnamed user;
 * turns of other unnamed speakers are skipped). `when` is the time expression of the sentence, as written
 * ("yesterday"), and relative ones are cut from the text. A slot names what a statement fills, so that a
 * new value contradicts the old: "ana|lives in" (living and moving share it), "ana|is from",
 * "ana|is a" (via "work as"), "ana|works at", "ana|favorite color", "ana|name is", and one slot per liked
 * thing, "ana|likes|sushi", which "I don't like sushi" and "I hate sushi" share. Texts are unique per
 * batch: a repeat adds its turn to `sourceEventIds`. Only the first 2,000 characters of a turn are read.
 *
 * @example
 * extractHeuristically([{ eventId: "e1", text: "I moved to Denver last week!", speaker: "Ana", role: "user", sessionId: null, occurredAt: Date.UTC(2023, 4, 8) }]);
 * // [{ kind: "fact", text: "Ana moved to Denver.", when: "last week", slot: "ana|lives in", keywords: ["ana", "denver"], … }]
 */
export function extractHeuristically(turns: readonly SourceTurn[]): ExtractedMemory[] {
  const byText = new Map<string, ExtractedMemory>();
  for (const turn of turns) {
    const subject = subjectOf(turn);
    if (subject === undefined || typeof turn.text !== "string") continue;
    for (const memory of turnMemories(turn, subject)) {
      const seen = byText.get(memory.text);
      if (seen === undefined) byText.set(memory.text, memory);
      else if (!seen.sourceEventIds.includes(turn.eventId)) seen.sourceEventIds.push(turn.eventId);
    }
  }
  return [...byText.values()];
}

function subjectOf(turn: SourceTurn): Subject | undefined {
  const speaker = turn.speaker?.replace(/\s+/g, " ").trim();
  if (speaker) return { name: capitalise(speaker), inner: capitalise(speaker), key: speaker.toLowerCase() };
  return turn.role === "user" ? { name: "The user", inner: "the user", key: "user" } : undefined;
}

function turnMemories(turn: SourceTurn, subject: Subject): ExtractedMemory[] {
  const memories: ExtractedMemory[] = [];
  for (const sentence of sentences(turn.text.slice(0, MAX_SCANNED))) {
    if (sentence.includes("?")) continue;
    let times: TimeExpression[] | undefined;
    for (const match of sentence.matchAll(SUBJECT)) {
      const index = match.index;
      const lead = sentence.slice(0, index);
      const asserted = !UNASSERTED_LEAD.test(lead) && LEAD_END.test(lead);
      // "my dog Rex" tells that Rex exists wherever it stands, unless someone else is quoted.
      const possessive = match[0] !== "I" && match[0] !== "i";
      if (!asserted && !(possessive && !QUOTE.test(lead))) continue;
      const statement = readStatement(sentence, index, subject, asserted);
      if (statement === undefined) continue;
      times ??= TIME_CUE.test(sentence) ? findTimeExpressions(sentence, new Date(Number.isFinite(turn.occurredAt) ? turn.occurredAt : 0)) : [];
      const memory = complete(statement, sentence, times, subject, turn);
      if (memory !== undefined) memories.push(memory);
    }
  }
  return memories;
}

/** Sentences and lines, trailing full stops and exclamations cut; "St. Louis" stays whole. */
function sentences(text: string): string[] {
  const pieces: string[] = [];
  for (const piece of text.split(SENTENCE_BREAK)) {
    const previous = pieces.length - 1;
    if (previous >= 0 && ABBREVIATION_END.test(pieces[previous] ?? "")) pieces[previous] += ` ${piece}`;
    else pieces.push(piece);
  }
  return pieces.map((piece) => piece.replace(/[\s.!…]+$/u, ""));
}

function readStatement(sentence: string, index: number, subject: Subject, asserted: boolean): Statement | undefined {
  const at = (pattern: RegExp): RegExpExecArray | null => {
    pattern.lastIndex = index;
    return pattern.exec(sentence);
  };
  const { name, key } = subject;
  const end = (match: RegExpExecArray): number => index + match[0].length;
  if (/^[Mm]y/.test(sentence.slice(index, index + 2))) return readPossessive(subject, asserted, at, end);

  const home = at(HOME);
  if (home) {
    const [, fullAux, shortAux, adverbs = "", verbWords = "", preposition = ""] = home;
    const aux = (fullAux ?? shortAux ?? "").toLowerCase().replace(/^m$/, "am").replace(/^ve$/, "have");
    const verb = verbWords.toLowerCase().replace(/\s+/g, " ");
    const phrase = HOME_PHRASES[`${aux}|${verb}|${preposition.toLowerCase()}`];
    if (phrase === undefined) return undefined;
    const slot = phrase.current ? () => `${key}|lives in` : null;
    return { kind: "fact", head: `${name} ${adverbs.toLowerCase()}${phrase.words}`, objectStart: end(home), slot, tags: phrase.current ? ["location", "home"] : ["location"], object: isPlace };
  }
  const origin = at(ORIGIN);
  if (origin) {
    const [text, adverbs = "", verb = ""] = origin;
    const isAm = /^I(?:\s+am|['’]m)\s/iu.test(text);
    if (!isAm && verb.toLowerCase() === "from") return undefined;
    const words = isAm ? `is ${adverbs.toLowerCase()}from` : `${adverbs.toLowerCase()}comes from`;
    return { kind: "fact", head: `${name} ${words}`, objectStart: end(origin), slot: () => `${key}|is from`, tags: ["location", "origin"], object: isPlace };
  }
  const work = at(WORK);
  if (work) {
    const [, adverbs = "", verb = "", preposition = ""] = work;
    const present = verb.toLowerCase() === "work";
    const as = preposition.toLowerCase() === "as";
    const slot = present ? () => (as ? `${key}|is a` : `${key}|works at`) : null;
    const head = `${name} ${adverbs.toLowerCase()}${present ? "works" : "worked"} ${preposition.toLowerCase()}`;
    return { kind: "fact", head, objectStart: end(work), slot, tags: as ? ["occupation"] : ["occupation", "workplace"], object: as ? startsWithArticle : isPlace };
  }
  const identity = at(IDENTITY);
  if (identity) {
    const [, adverbs = "", article = ""] = identity;
    const object = (text: string): boolean => !IDENTITY_NOT.test(text) && wordCount(text) <= 6;
    return { kind: "fact", head: `${name} is ${adverbs.toLowerCase()}${article.toLowerCase()}`, objectStart: end(identity), slot: null, tags: ["identity"], object };
  }
  const liking = at(LIKING);
  if (liking) {
    const [, adverbs = "", negation, verbWord = ""] = liking;
    const verb = verbWord.toLowerCase();
    const words = negation === undefined ? `${adverbs.toLowerCase()}${THIRD_PERSON[verb] ?? verb}` : `${adverbs.toLowerCase()}does not ${verb}`;
    const slot = (object: string): string => `${key}|likes|${objectKey(object)}`;
    return { kind: "preference", head: `${name} ${words}`, objectStart: end(liking), slot, tags: ["preference"], object: (object) => !DEICTIC_THING.test(object) };
  }
  const named = at(HAS_NAMED);
  if (named) {
    const [, article = "", noun = "", given = ""] = named;
    if (NOT_NAMES.has(given.toLowerCase())) return undefined;
    return { kind: "fact", head: `${name} has ${article.toLowerCase()} ${noun} named ${given}`, objectStart: end(named), closed: true, slot: null, tags: possessionTags(noun) };
  }
  const action = at(PAST_ACTION);
  if (action) {
    const [, adverbs = "", verb = ""] = action;
    if (!isPastAction(verb)) return undefined;
    return { kind: "event", head: `${name} ${adverbs.toLowerCase()}${verb}`, objectStart: end(action), slot: null, tags: ["event"] };
  }
  return undefined;
}

function readPossessive(
  { name, key }: Subject,
  asserted: boolean,
  at: (pattern: RegExp) => RegExpExecArray | null,
  end: (match: RegExpExecArray) => number,
): Statement | undefined {
  const favorite = asserted ? at(FAVORITE) : null;
  if (favorite) {
    const [, adjective = "", thingWords = ""] = favorite;
    const thing = thingWords.toLowerCase();
    if (PRONOUN.test(thing)) return undefined;
    const slot = (): string => `${key}|favorite ${thing.replace(/\s+/g, " ")}`;
    return { kind: "preference", head: `${name}'s ${adjective.toLowerCase()} ${thing} is`, objectStart: end(favorite), slot, tags: ["preference", "favorite"] };
  }
  const named = asserted ? at(NAMED) : null;
  if (named) {
    const given = named[1] ?? "";
    if (given.toLowerCase() === name.toLowerCase() || NOT_NAMES.has(given.toLowerCase())) return undefined;
    return { kind: "fact", head: `${name}'s name is ${given}`, objectStart: end(named), closed: true, slot: () => `${key}|name is`, tags: ["name", "identity"] };
  }
  const mine = at(MY_NAMED);
  if (mine) {
    const [, noun = "", given = ""] = mine;
    const relation = noun.toLowerCase().replace(/\s+/g, " ");
    if (!PETS.has(relation) && !RELATIVES.has(relation)) return undefined;
    if (NOT_NAMES.has(given.split(/[\s-]/u)[0]?.toLowerCase() ?? "")) return undefined;
    return { kind: "fact", head: `${name} has a ${relation} named ${given}`, objectStart: end(mine), closed: true, slot: null, tags: possessionTags(relation) };
  }
  return undefined;
}

/** What each way of saying where one lives means: the words in the third person, and whether it is the current home. */
const HOME_PHRASES: Readonly<Record<string, { words: string; current: boolean }>> = {
  "|live|in": { words: "lives in", current: true },
  "am|living|in": { words: "is living in", current: true },
  "have|been living|in": { words: "has been living in", current: true },
  "|moved|to": { words: "moved to", current: true },
  "have|moved|to": { words: "has moved to", current: true },
  "|relocated|to": { words: "relocated to", current: true },
  // "I've lived in Boston, Paris and Tokyo" tells places lived in, not the current home.
  "have|lived|in": { words: "has lived in", current: false },
  "|lived|in": { words: "lived in", current: false },
  "|used to live|in": { words: "used to live in", current: false },
};

/** The memory a statement makes with the rest of its clause as its object, or undefined when the object is not clean. */
function complete(statement: Statement, sentence: string, times: readonly TimeExpression[], subject: Subject, turn: SourceTurn): ExtractedMemory | undefined {
  const start = statement.objectStart;
  const cut = CLAUSE_END.exec(sentence.slice(start));
  const end = statement.closed ? start : start + (cut?.index ?? sentence.length - start);
  // A name or a possession did not begin when the sentence's time says ("Last year my daughter Sara…").
  const time = statement.closed ? undefined : times.find((found) => found.from !== null && found.index < end && (statement.kind !== "event" || found.from <= turn.occurredAt));
  if (statement.kind === "event" && time === undefined) return undefined;

  let object = "";
  if (!statement.closed) {
    const timeless = withoutRelativeTimes(sentence, start, end, times);
    if (timeless === undefined) return undefined;
    object = timeless;
    const clean = OBJECT_CHARACTERS.exec(object)?.[0] ?? "";
    if (clean.length < object.length && (!/\s$/u.test(clean) || /[\p{L}\p{N}]/u.test(object.slice(clean.length)))) return undefined;
    object = clean.replace(/\s+/g, " ").trim().replace(TRAILING_FILLER, "").replace(/\.+$/u, "");
    if (!isCleanObject(object) || (statement.object !== undefined && !statement.object(object))) return undefined;
    object = object.replace(/(?<![\p{L}'’])my(?![\p{L}'’])/gu, `${subject.inner}'s`);
  }
  const text = `${capitalise(`${statement.head} ${object}`.replace(/\s+/g, " ").trim())}.`;
  return {
    kind: statement.kind,
    text,
    keywords: [...new Set([subject.key, ...extractKeywords(text)])],
    tags: statement.tags,
    importance: statement.kind === "event" ? EVENT_IMPORTANCE : FACT_IMPORTANCE,
    when: time === undefined ? null : timeWords(sentence, time),
    until: null,
    sourceEventIds: [turn.eventId],
    slot: statement.slot === null ? null : statement.slot(object),
  };
}

/** The object with relative time words cut, and the preposition before them ("in May", "on Tuesday"): they would mislead later. */
function withoutRelativeTimes(sentence: string, start: number, end: number, times: readonly TimeExpression[]): string | undefined {
  let object = "";
  let from = start;
  for (const time of times) {
    const after = time.index + time.text.length;
    if (time.anchor !== "relative" || time.index < start || after > end) continue;
    // "yesterday's class" cannot lose its time word.
    if (/^['’]s(?!\p{L})/u.test(sentence.slice(after, after + 3))) return undefined;
    object += sentence.slice(from, time.index).replace(/(?<![\p{L}'’])(?:(?:on|in|at|during|over|around|by|from|about|almost|nearly|roughly|exactly|just|only|like)\s+)+$/iu, "");
    from = after;
  }
  return (object + sentence.slice(from, end)).replace(/\(\s*\)/gu, "");
}

/** The time words as written, with the preposition before them ("in May": "May" alone is not read as a month). */
function timeWords(sentence: string, time: TimeExpression): string {
  const preposition = /(?<![\p{L}'’])(?:on|in|at|during|over|around)\s+$/iu.exec(sentence.slice(Math.max(0, time.index - 10), time.index))?.[0] ?? "";
  const words = `${preposition}${time.text}`.replace(/\s+/g, " ");
  return time.index - preposition.length === 0 ? words.charAt(0).toLowerCase() + words.slice(1) : words;
}

function isCleanObject(object: string): boolean {
  if (object === "" || object.length > 100 || wordCount(object) > MAX_OBJECT_WORDS) return false;
  if (VAGUE_OBJECT.test(object) || PRONOUN.test(object) || DANGLING_END.test(object)) return false;
  const quotes = object.match(/["“”]/gu)?.length ?? 0;
  const opened = object.match(/\(/gu)?.length ?? 0;
  return quotes % 2 === 0 && opened === (object.match(/\)/gu)?.length ?? 0);
}

/** A named place: "Denver", "the Bay Area", "New York City". */
function isPlace(object: string): boolean {
  return /^(?:the\s+)?[\p{Lu}\p{N}]/u.test(object);
}

function startsWithArticle(object: string): boolean {
  return /^an?\s/iu.test(object);
}

function isPastAction(verb: string): boolean {
  const word = verb.toLowerCase();
  if (IRREGULAR_PAST.has(word)) return true;
  return word.length > 4 && word.endsWith("ed") && !NOT_ACTIONS.has(word);
}

function possessionTags(noun: string): string[] {
  const last = noun.toLowerCase().split(/\s+/).at(-1) ?? "";
  return PETS.has(noun.toLowerCase()) || PETS.has(last) ? ["possession", "pet"] : ["possession", "relationship"];
}

/** The liked thing as a slot part: lower-case, without leading articles ("the Beatles" and "Beatles" are one slot). */
function objectKey(object: string): string {
  return object
    .toLowerCase()
    .replace(/^(?:(?:the|a|an|some)\s+)+/u, "")
    .replace(/\s+/g, " ")
    .trim();
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
