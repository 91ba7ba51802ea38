import type { EventInput } from "../../src/index.js";

/**
 * Synthetic conversations for the scale bench: sessions of 10–40 turns between a user and an assistant,
 * spread over a few years, with realistic term statistics for text search. Everything comes from one
 * seeded generator, so a seed always gives the same data.
 *
 * - Common words (function words and everyday conversational words) follow Zipf's law.
 * - Topic words and names are made-up words, so no real text is needed; their vocabulary grows with the
 *   corpus (Heaps' law), and their popularity is Zipf-like too: a few recur in many topics, most are rare.
 * - Each session is about two topics and mentions a few names; a turn mixes mostly common words with some
 *   words of its session's topics, and sometimes a name.
 */
export interface SyntheticOptions {
  /** How many turns (memories) to make. */
  memories: number;
  /** @default 1 */
  seed?: number;
  /** When the first session happens. @default "2021-01-01T00:00:00Z" */
  start?: string;
  /** Sessions spread evenly over this many years, in order. @default 3 */
  years?: number;
}

export interface SyntheticSession {
  id: string;
  /** ISO 8601. */
  date: string;
  /** One per turn, in order, in the engine's ingest format; each has an idempotency key. */
  events: EventInput[];
}

/** A question about one turn, built from some of that turn's words: its target is known. */
export interface SyntheticQuery {
  id: string;
  question: string;
  /** The idempotency key of the turn the question is about. */
  targetKey: string;
}

type WordKind = "common" | "topic" | "name";

interface Turn {
  event: EventInput;
  words: { text: string; kind: WordKind }[];
  /** The user's name, whichever side spoke. */
  user: string;
}

const COMMON_WORDS = `i you the to a and it that is of in my for was so we just have but it's be with this on
  me what not are like do your at i'm that's know can really all about yeah get if think oh going one
  good great time out up they he she would they're did go there how no love too some now was then when
  been more see thanks right day people also want things much make got new lot well back last week
  always feel sounds work still year fun let us try even amazing glad hope nice awesome thing first
  little next friends family home take take maybe sure something today kind around being happy told
  though started made wow could any other our better hard which here pretty done look help find able
  again those keep went come long days place trying looks talk remember together says bit tell give used
  many idea plan love own best enjoy might since while every thought actually during mean big wanted
  probably old another start life whole point world few part important moment interesting share
  excited weekend close real quite early through end picture photo guess past stuff able working
  experience hear means beautiful later support course learn sometimes ever favorite special same
  different believe lately yesterday tomorrow morning evening night together class group trip free
  minute hours months month weeks kids friend music book books game store food car house job city
  school team project plans heard seen felt saw took found gave kept brought thinking looking feeling
  getting doing making taking coming telling asking waiting hoping planning reading watching playing
  cool exciting tough busy crazy funny lovely fantastic perfect wonderful easy quick slow simple glad
  totally definitely honestly absolutely especially finally almost already usually recently soon`
  .split(/\s+/)
  .filter((word, index, all) => word !== "" && all.indexOf(word) === index);

const ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "cr", "dr", "fl", "gr", "pl", "pr", "st", "tr", "sh", "ch", "th"];
const VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "y"];
const CODAS = ["", "", "", "n", "r", "l", "s", "m", "t", "nd", "st", "rk", "x"];

const QUESTION_TEMPLATES: readonly ((parts: { topic: string; common: string; name: string | undefined }) => string)[] = [
  ({ topic, common, name }) => (name ? `What did ${name} say about the ${common} ${topic}?` : `What was said about the ${common} ${topic}?`),
  ({ topic, common, name }) => `When did ${name ?? "we"} talk about ${topic} ${common}?`,
  ({ topic, common, name }) => `Do you remember the ${topic} and ${common}${name ? ` ${name} mentioned` : ""}?`,
  ({ topic, common, name }) => `Tell me about ${common} ${topic}${name ? ` with ${name}` : ""}.`,
];

const DAY_MS = 86_400_000;

/** A small seeded generator (sfc32, seeded through splitmix32), uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let mix = seed >>> 0;
  const splitmix = (): number => {
    mix = (mix + 0x9e3779b9) >>> 0;
    let z = mix;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let [a, b, c, d] = [splitmix(), splitmix(), splitmix(), splitmix()];
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/** The sessions, one at a time (a million turns never sit in memory at once). Turn count is exactly `memories`. */
export function* syntheticSessions(options: SyntheticOptions): Generator<SyntheticSession> {
  for (const session of generateTurns(options)) {
    yield { id: session.id, date: session.date, events: session.turns.map((turn) => turn.event) };
  }
}

/**
 * `count` questions, each about a turn picked at random among the `memories` turns that
 * `syntheticSessions(options)` makes: one to three of the turn's topic words, one of its common words,
 * sometimes a name, in a question template.
 */
export function syntheticQueries(options: SyntheticOptions & { count: number }): SyntheticQuery[] {
  const random = seededRandom(((options.seed ?? 1) ^ 0x5eed) >>> 0);
  const wanted = new Map<number, number[]>();
  for (let query = 0; query < options.count; query += 1) {
    const turn = Math.floor(random() * options.memories);
    wanted.set(turn, [...(wanted.get(turn) ?? []), query]);
  }
  const queries: SyntheticQuery[] = [];
  let index = 0;
  for (const session of generateTurns(options)) {
    for (const turn of session.turns) {
      for (const query of wanted.get(index) ?? []) queries.push({ id: `q${query}`, question: questionAbout(turn, random), targetKey: turn.event.idempotencyKey! });
      index += 1;
    }
  }
  return queries.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
}

function questionAbout(turn: Turn, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const topics = [...new Set(turn.words.filter((word) => word.kind === "topic").map((word) => word.text))];
  for (let index = topics.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [topics[index], topics[other]] = [topics[other]!, topics[index]!];
  }
  const chosen = topics.slice(0, 1 + Math.floor(random() * Math.min(3, topics.length)));
  const commons = turn.words.filter((word) => word.kind === "common" && word.text.length > 3).map((word) => word.text);
  const names = turn.words.filter((word) => word.kind === "name").map((word) => word.text);
  const name = random() < 0.3 ? (names.length > 0 ? pick(names) : turn.user) : undefined;
  return pick(QUESTION_TEMPLATES)({ topic: chosen.join(" "), common: commons.length > 0 ? pick(commons) : "thing", name });
}

function* generateTurns(options: SyntheticOptions): Generator<{ id: string; date: string; turns: Turn[] }> {
  const { memories } = options;
  if (!Number.isSafeInteger(memories) || memories < 1) throw new RangeError(`memories must be a whole number of at least 1, got ${memories}.`);
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  const start = Date.parse(options.start ?? "2021-01-01T00:00:00Z");
  const spanMs = (options.years ?? 3) * 365 * DAY_MS;
  const vocabulary = makeVocabulary(random, memories);
  const common = zipfSampler(COMMON_WORDS.length, 1.0, 2.7);
  const topicOfSession = zipfSampler(vocabulary.topics.length, 0.7);
  const withinTopic = zipfSampler(vocabulary.topics[0]!.length, 0.8);
  const nameSampler = zipfSampler(vocabulary.names.length, 0.9);

  let made = 0;
  let lastAt = Number.NEGATIVE_INFINITY;
  for (let number = 1; made < memories; number += 1) {
    const id = `S${number}`;
    const length = Math.min(memories - made, 10 + Math.floor(random() * 31));
    // Sessions run in time order over the span, each at some hour of the day, and never overlap.
    const day = start + Math.floor((Math.min(made + random() * 25, memories - 1) / memories) * spanMs / DAY_MS) * DAY_MS;
    let at = Math.max(day + (8 + Math.floor(random() * 14)) * 3_600_000 + Math.floor(random() * 60) * 60_000, lastAt + 3_600_000);
    const date = new Date(at).toISOString();
    const topics = [vocabulary.topics[topicOfSession(random)]!, vocabulary.topics[topicOfSession(random)]!];
    const user = vocabulary.names[nameSampler(random)]!;
    const mentioned = [vocabulary.names[nameSampler(random)]!, vocabulary.names[nameSampler(random)]!];
    const turns: Turn[] = [];
    for (let position = 1; position <= length; position += 1) {
      const role = position % 2 === 1 ? "user" : "assistant";
      const words: Turn["words"] = [];
      const count = 6 + Math.floor(random() ** 2 * 30);
      for (let slot = 0; slot < count; slot += 1) {
        const draw = random();
        if (draw < 0.2 || (slot === count - 1 && !words.some((word) => word.kind === "topic"))) {
          const topic = topics[random() < 0.6 ? 0 : 1]!;
          words.push({ text: topic[withinTopic(random)]!, kind: "topic" });
        } else if (draw < 0.23) words.push({ text: mentioned[random() < 0.5 ? 0 : 1]!, kind: "name" });
        else {
          // A word never follows itself ("I i"), which a plain draw makes common for the top words.
          let word = COMMON_WORDS[common(random)]!;
          if (word === words.at(-1)?.text) word = COMMON_WORDS[common(random)]!;
          words.push({ text: word, kind: "common" });
        }
      }
      const event: EventInput = {
        text: sentence(words.map((word) => word.text), random),
        idempotencyKey: `synthetic-${seed}/${id}/${position}`,
        sessionId: id,
        role,
        speaker: role === "user" ? user : "Assistant",
        occurredAt: new Date(at).toISOString(),
        metadata: { turnId: `${id}:${position}` },
      };
      if (random() < 0.03) event.attachments = [{ kind: "image", caption: `a photo of ${words.find((word) => word.kind === "topic")!.text}` }];
      turns.push({ event, words, user });
      at += 20_000 + Math.floor(random() * 100_000);
    }
    made += length;
    lastAt = at;
    yield { id, date, turns };
  }
}

function sentence(words: readonly string[], random: () => number): string {
  const text = words.map((word, index) => (index > 0 && index < words.length - 1 && random() < 0.06 ? `${word},` : word)).join(" ");
  const end = random();
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${end < 0.75 ? "." : end < 0.9 ? "!" : "?"}`;
}

/** Topic words and names grow with the corpus (Heaps' law): about 6k topic words at 10k turns, 22k at 100k, 80k at 1M. */
function makeVocabulary(random: () => number, memories: number): { topics: string[][]; names: string[] } {
  const used = new Set(COMMON_WORDS);
  const invent = (): string => {
    for (;;) {
      const syllables = 2 + (random() < 0.3 ? 1 : 0);
      let word = "";
      for (let index = 0; index < syllables; index += 1) {
        word += ONSETS[Math.floor(random() * ONSETS.length)]! + VOWELS[Math.floor(random() * VOWELS.length)]! + CODAS[Math.floor(random() * CODAS.length)]!;
      }
      if (!used.has(word)) {
        used.add(word);
        return word;
      }
    }
  };
  const words = Array.from({ length: Math.min(300_000, Math.max(2_000, Math.round(40 * memories ** 0.55))) }, invent);
  const names = Array.from({ length: Math.min(20_000, Math.max(100, Math.round(3 * memories ** 0.5))) }, () => {
    const name = invent();
    return name.charAt(0).toUpperCase() + name.slice(1);
  });
  // A topic draws its words by popularity: popular words recur across many topics, the tail in one or two.
  const popularity = zipfSampler(words.length, 0.6);
  const topics = Array.from({ length: Math.round(words.length / 10) }, () => Array.from({ length: 30 }, () => words[popularity(random)]!));
  return { topics, names };
}

/** Draws ranks 0..n-1 with probability proportional to 1 / (rank + 1 + offset)^exponent (Zipf–Mandelbrot). */
function zipfSampler(n: number, exponent: number, offset = 0): (random: () => number) => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let rank = 0; rank < n; rank += 1) cumulative[rank] = total += 1 / (rank + 1 + offset) ** exponent;
  return (random) => lowerBound(cumulative, random() * total);
}

/** The first index whose cumulative weight reaches `target`: a draw from the weights behind `cumulative`. */
export function lowerBound(cumulative: Float64Array, target: number): number {
  let [low, high] = [0, cumulative.length - 1];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}
