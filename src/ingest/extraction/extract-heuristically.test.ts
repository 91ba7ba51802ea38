import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractHeuristically } from "./extract-heuristically.js";
import type { ExtractedMemory, SourceTurn } from "./extracted-memory.js";
import { resolveValidTime } from "./resolve-valid-time.js";

/** A Monday afternoon. */
const SAID_AT = Date.parse("2023-05-08T14:00:00Z");

function turn(text: string, overrides: Partial<SourceTurn> = {}): SourceTurn {
  return { eventId: "e1", text, speaker: "Ana", role: "user", sessionId: null, occurredAt: SAID_AT, ...overrides };
}

/** What most cases check: kind, text, slot and when. */
type Summary = Pick<ExtractedMemory, "kind" | "text" | "slot" | "when">;

function summaries(text: string, overrides: Partial<SourceTurn> = {}): Summary[] {
  return extractHeuristically([turn(text, overrides)]).map(({ kind, text: memory, slot, when }) => ({ kind, text: memory, slot, when }));
}

function fact(text: string, slot: string | null = null, when: string | null = null): Summary {
  return { kind: "fact", text, slot, when };
}

function preference(text: string, slot: string | null, when: string | null = null): Summary {
  return { kind: "preference", text, slot, when };
}

function event(text: string, when: string): Summary {
  return { kind: "event", text, slot: null, when };
}

function expect(cases: ReadonlyArray<[text: string, expected: Summary[]]>): void {
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => assert.deepEqual(summaries(text), expected));
  }
}

describe("extractHeuristically", () => {
  describe("where the speaker lives and comes from", () => {
    expect([
      ["I live in Boston.", [fact("Ana lives in Boston.", "ana|lives in")]],
      ["I moved to Denver last week!", [fact("Ana moved to Denver.", "ana|lives in", "last week")]],
      ["I moved to Denver (last week).", [fact("Ana moved to Denver.", "ana|lives in", "last week")]],
      ["Hey Mel! I just moved to New York City, it's wild.", [fact("Ana just moved to New York City.", "ana|lives in")]],
      ["In 2019 I moved to Berlin.", [fact("Ana moved to Berlin.", "ana|lives in", "in 2019")]],
      ["I moved to Berlin in 2019.", [fact("Ana moved to Berlin in 2019.", "ana|lives in", "in 2019")]],
      ["I've been living in Denver since 2021.", [fact("Ana has been living in Denver since 2021.", "ana|lives in", "since 2021")]],
      ["I'm living in Boston these days.", [fact("Ana is living in Boston.", "ana|lives in")]],
      ["I live in St. Louis now.", [fact("Ana lives in St. Louis.", "ana|lives in")]],
      ["I live in Boston, Massachusetts.", [fact("Ana lives in Boston.", "ana|lives in")]],
      ["I'm from Portugal originally.", [fact("Ana is from Portugal.", "ana|is from")]],
      ["I'm originally from Lisbon.", [fact("Ana is originally from Lisbon.", "ana|is from")]],
      ["I come from Brazil.", [fact("Ana comes from Brazil.", "ana|is from")]],
      // Past homes are facts, but not the current home: they must not replace it.
      ["I used to live in Boston.", [fact("Ana used to live in Boston.")]],
      ["I lived in Boston for 5 years.", [fact("Ana lived in Boston for 5 years.")]],
      ["As a kid, I lived in Boston.", [fact("Ana lived in Boston.")]],
      // Not a named place: idioms and descriptions are not a home.
      ["I live in fear.", []],
      ["I live in a small apartment.", []],
      ["I'm from a small town.", []],
      ["I moved here last year.", []],
    ]);
  });

  describe("what the speaker likes", () => {
    expect([
      ["I like sushi and I love ramen.", [preference("Ana likes sushi.", "ana|likes|sushi"), preference("Ana loves ramen.", "ana|likes|ramen")]],
      ["I hate mornings.", [preference("Ana hates mornings.", "ana|likes|mornings")]],
      ["I really enjoy hiking in the Alps so much!", [preference("Ana really enjoys hiking in the Alps.", "ana|likes|hiking in the alps")]],
      ["I love the Beatles.", [preference("Ana loves the Beatles.", "ana|likes|beatles")]],
      ["I love C++ 🙂", [preference("Ana loves C++.", "ana|likes|c++")]],
      ["I love my mom's cooking.", [preference("Ana loves Ana's mom's cooking.", "ana|likes|ana's mom's cooking")]],
      ["I enjoy reading books about history, but not novels.", [preference("Ana enjoys reading books about history.", "ana|likes|reading books about history")]],
      ["My favorite color is blue.", [preference("Ana's favorite color is blue.", "ana|favorite color")]],
      ["My favourite movie is \"Inception\" because it's clever.", [preference("Ana's favourite movie is \"Inception\".", "ana|favorite movie")]],
      ["My favorite thing to do is hiking.", [preference("Ana's favorite thing to do is hiking.", "ana|favorite thing to do")]],
      // Said of something in the conversation, or not said at all.
      ["I love it!", []],
      ["I love you", []],
      ["I like how you did that.", []],
      ["I love the colors!", []],
      ["I prefer the first one.", []],
      ["I like the second option better.", []],
      ["Yeah, I love to.", []],
      ["I hate to say it.", []],
      ["I love 🍕", []],
    ]);
  });

  describe("negation", () => {
    expect([
      // The same slot as liking: a later "I love olives" contradicts it, and the other way round.
      ["I don't like olives anymore.", [preference("Ana does not like olives.", "ana|likes|olives")]],
      ["I do not enjoy crowds.", [preference("Ana does not enjoy crowds.", "ana|likes|crowds")]],
      ["I really don't like spicy food.", [preference("Ana really does not like spicy food.", "ana|likes|spicy food")]],
      ["I don't live in Boston anymore.", []],
      ["I never moved to Denver.", []],
      ["I'm not a nurse.", []],
      ["I no longer like olives.", []],
      ["I don't have a dog named Rex.", []],
      ["Not that I like Boston.", []],
    ]);
  });

  describe("questions, conditions, wishes and other people's words", () => {
    expect([
      ["Do you live in Boston?", []],
      ["I like it?", []],
      ["I live in Boston, you?", []],
      ["So I moved to Denver, right?", []],
      ["I would like to visit Paris.", []],
      ["I'd love to move to Rome.", []],
      ["I'd like a dog named Rex.", []],
      ["If I lived in Paris I would be happy.", []],
      ["I wish I lived in Paris.", []],
      ["I'm moving to Denver next month.", []],
      ["I might move to Denver.", []],
      ["She said \"I live in Boston\".", []],
      ["My friend said I live in a bubble.", []],
      ["Mom always says I love broccoli.", []],
      ["I think I like Boston.", []],
      ["The guy I met yesterday was nice.", []],
      ["When I was a kid I lived in Boston.", []],
      ["We went to the park yesterday.", []],
    ]);
  });

  describe("who the speaker is", () => {
    expect([
      ["I am a nurse.", [fact("Ana is a nurse.")]],
      ["I'm an engineer at Google.", [fact("Ana is an engineer at Google.")]],
      ["I'm a huge fan of Taylor Swift.", [fact("Ana is a huge fan of Taylor Swift.")]],
      ["I work as a teacher.", [fact("Ana works as a teacher.", "ana|is a")]],
      ["I work at Google.", [fact("Ana works at Google.", "ana|works at")]],
      ["I worked at Google in 2019.", [fact("Ana worked at Google in 2019.", null, "in 2019")]],
      ["My name is Sam.", [fact("Ana's name is Sam.", "ana|name is")]],
      // Moods and half statements are not who someone is.
      ["I'm a bit tired today.", []],
      ["I'm a bit of a nerd.", []],
      ["I'm a huge fan!", []],
      ["I work as hard as I can.", []],
      ["I work at night.", []],
      ["I work for myself.", []],
      ["My name is Ana.", []],
    ]);
  });

  describe("named pets and people", () => {
    expect([
      ["I have a dog named Rex.", [fact("Ana has a dog named Rex.")]],
      ["I've got a golden retriever called Max.", [fact("Ana has a golden retriever called Max.".replace("called", "named"))]],
      ["We hiked with my dog Rex.", [fact("Ana has a dog named Rex.")]],
      ["my friend Sarah's house is huge", [fact("Ana has a friend named Sarah.")]],
      ["Last year my daughter Sara started school.", [fact("Ana has a daughter named Sara.")]],
      ["I told my boss Monday about it.", []],
      ["My book Dune is great.", []],
    ]);
  });

  describe("dated past actions", () => {
    expect([
      ["Yesterday I went to a support group.", [event("Ana went to a support group.", "yesterday")]],
      ["Yesterday I went to a LGBTQ support group and it was so powerful.", [event("Ana went to a LGBTQ support group.", "yesterday")]],
      ["I ran a marathon last Sunday.", [event("Ana ran a marathon.", "last Sunday")]],
      ["Last Sunday, I ran a marathon.", [event("Ana ran a marathon.", "last Sunday")]],
      ["I went to Paris in May with my sister.", [event("Ana went to Paris with Ana's sister.", "in May")]],
      ["I started a new job at Google two weeks ago.", [event("Ana started a new job at Google.", "two weeks ago")]],
      ["I started volunteering about a year ago.", [event("Ana started volunteering.", "a year ago")]],
      ["My sister and I went to the beach last weekend.", [event("Ana went to the beach.", "last weekend")]],
      ["I bought a new car two weeks ago, and my husband loves it.", [event("Ana bought a new car.", "two weeks ago")]],
      ["So yesterday I adopted a puppy named Max!", [event("Ana adopted a puppy named Max.", "yesterday")]],
      ["I went hiking with my dog Rex yesterday.", [event("Ana went hiking with Ana's dog Rex.", "yesterday"), fact("Ana has a dog named Rex.")]],
      // No time, a future time, a state of mind, or a time word that cannot be cut.
      ["I went to a support group.", []],
      ["I went to the store tomorrow.", []],
      ["I wanted to go to Paris last year.", []],
      ["I bonded with Anna during yesterday's class.", []],
      ["I had a blast there last month.", []],
    ]);
  });

  it("says who, what, when and from where", () => {
    const [memory] = extractHeuristically([turn("I moved to Denver last week!", { eventId: "evt_7" })]);
    assert.deepEqual(memory, {
      kind: "fact",
      text: "Ana moved to Denver.",
      keywords: ["ana", "denver"],
      tags: ["location", "home"],
      importance: 0.6,
      when: "last week",
      until: null,
      sourceEventIds: ["evt_7"],
      slot: "ana|lives in",
    });
    assert.equal(resolveValidTime(memory.when, SAID_AT), Date.UTC(2023, 4, 1));
  });

  it("gives events a lower importance and their own tag", () => {
    const [memory] = extractHeuristically([turn("Yesterday I met Sarah at the gym.")]);
    assert.equal(memory?.importance, 0.5);
    assert.deepEqual(memory?.tags, ["event"]);
    assert.deepEqual(memory?.keywords, ["ana", "sarah"]);
    assert.equal(resolveValidTime(memory?.when ?? null, SAID_AT), Date.UTC(2023, 4, 7));
  });

  it("tags each kind of statement", () => {
    const tags = (text: string): string[] | undefined => extractHeuristically([turn(text)])[0]?.tags;
    assert.deepEqual(tags("I'm from Lisbon."), ["location", "origin"]);
    assert.deepEqual(tags("I like tea."), ["preference"]);
    assert.deepEqual(tags("My favorite tea is oolong."), ["preference", "favorite"]);
    assert.deepEqual(tags("I work as a nurse."), ["occupation"]);
    assert.deepEqual(tags("I work at Acme Inc."), ["occupation", "workplace"]);
    assert.deepEqual(tags("I am a runner."), ["identity"]);
    assert.deepEqual(tags("My name is Sam."), ["name", "identity"]);
    assert.deepEqual(tags("I have a cat named Luna."), ["possession", "pet"]);
    assert.deepEqual(tags("My brother Tom is here."), ["possession", "relationship"]);
  });

  it("calls an unnamed user \"The user\" and skips other unnamed speakers", () => {
    assert.deepEqual(summaries("I live in Boston and my name is Sam.", { speaker: null, role: "user" }), [
      fact("The user lives in Boston.", "user|lives in"),
      fact("The user's name is Sam.", "user|name is"),
    ]);
    assert.deepEqual(extractHeuristically([turn("I love my dog Rex.", { speaker: null })])[0]?.keywords, ["user", "rex"]);
    assert.deepEqual(summaries("I live in Boston.", { speaker: null, role: "assistant" }), []);
    assert.deepEqual(summaries("I live in Boston.", { speaker: "  ", role: null }), []);
  });

  it("uses the speaker's name in slots and keywords, lower-cased", () => {
    const [memory] = extractHeuristically([turn("I live in Boston.", { speaker: "Ana Silva" })]);
    assert.equal(memory?.text, "Ana Silva lives in Boston.");
    assert.equal(memory?.slot, "ana silva|lives in");
    assert.equal(memory?.keywords[0], "ana silva");
  });

  it("keeps one memory per text, with every turn it came from", () => {
    const memories = extractHeuristically([
      turn("I live in Boston.", { eventId: "e1" }),
      turn("Well, I live in Boston!", { eventId: "e2" }),
      turn("I live in Boston.", { eventId: "e2" }),
      turn("I like tea.", { eventId: "e3" }),
    ]);
    assert.deepEqual(
      memories.map(({ text, sourceEventIds }) => [text, sourceEventIds]),
      [
        ["Ana lives in Boston.", ["e1", "e2"]],
        ["Ana likes tea.", ["e3"]],
      ],
    );
  });

  it("reads several sentences and lines of a turn", () => {
    assert.deepEqual(
      summaries("Hi! I live in Boston. Do you like tea?\nI love jazz.\n\nMy favorite food is pizza"),
      [fact("Ana lives in Boston.", "ana|lives in"), preference("Ana loves jazz.", "ana|likes|jazz"), preference("Ana's favorite food is pizza.", "ana|favorite food")],
    );
  });

  it("never throws and reads only the start of a long turn", () => {
    const odd = ["", " ", "I", "my", "I ", "My ", "?", "I'm", "🙂🙂🙂", "\u0000I live in Boston", "I live in \uD800", "I’m from Lisbon’", "((((", "I like \"", "my name is", "I moved to ."];
    for (const text of odd) assert.doesNotThrow(() => extractHeuristically([turn(text)]), text);
    assert.doesNotThrow(() => extractHeuristically([turn("I live in Boston.", { occurredAt: Number.NaN })]));
    const long = `${"Nothing to see here. ".repeat(200)}I live in Boston.`;
    assert.deepEqual(extractHeuristically([turn(long)]), []);
    assert.deepEqual(summaries(`I live in Boston. ${"word ".repeat(10_000)}`), [fact("Ana lives in Boston.", "ana|lives in")]);
  });

  it("is fast enough to run on every ingested turn", () => {
    const texts = [
      "Hey Mel! Yesterday I went to a LGBTQ support group and it was so powerful.",
      "That sounds great! I just took my fam camping in the mountains last week - it was a really nice time together!",
      "Thanks, Caroline! Glad you like it. Yeah, I love to. It's peaceful and special. Horses have such grace! Do you like to paint too?",
      "I moved to Denver last week and I love hiking, but my dog Rex hates the snow.",
    ];
    const turns = Array.from({ length: 2_000 }, (_, index) => turn(texts[index % texts.length]!));
    for (const one of turns.slice(0, 200)) extractHeuristically([one]);
    const start = performance.now();
    for (const one of turns) extractHeuristically([one]);
    const perTurnMicroseconds = ((performance.now() - start) * 1_000) / turns.length;
    // About 15 µs on a laptop; the bound leaves room for slow CI machines.
    assert.ok(perTurnMicroseconds < 250, `${perTurnMicroseconds.toFixed(1)} µs per turn`);
  });
});
