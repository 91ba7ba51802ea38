import type { ChatAnswer, ChatResponder } from "../../src/testing/openai-test-server.js";

/**
 * A stand-in for a chat model that answers mnemo's extraction and consolidation prompts by rule, for the
 * local OpenAI-format server: deterministic, instant, and honest about size (tokens are counted as one per
 * four characters of prompt and reply, as a rough BPE would). It knows three kinds of statement:
 * "I live in X" / "I moved to X [last week|yesterday]" (a fact with the slot "name|lives in"), and
 * "I like/love X" (a preference). Consolidation: a candidate with the same slot as an existing memory
 * and other text invalidates it, the same text is a no-op, anything else is added.
 */
export const scriptedExtractionModel: ChatResponder = (body) => {
  const system = body.messages.find((message) => message.role === "system")?.content ?? "";
  const user = body.messages.filter((message) => message.role === "user").at(-1)?.content ?? "";
  const reply = system.startsWith("Extract long-term memories") ? extract(user) : system.startsWith("You keep an agent's long-term memory") ? consolidate(user) : { error: "unknown prompt" };
  return counted(body.messages.map((message) => message.content).join("\n"), JSON.stringify(reply));
};

function extract(user: string): unknown {
  const memories: unknown[] = [];
  for (const line of user.split("\n")) {
    const turn = /^(t\d+) \S+ \(\w+\) ([^:]+): (.*)$/.exec(line);
    if (!turn) continue;
    const [, ref, speaker, text] = turn as unknown as [string, string, string, string];
    const name = speaker.trim();
    const home = /\bI (?:live in|moved to) ([A-Z][\p{L}]+)(?: (last week|yesterday|last month))?/u.exec(text);
    if (home) {
      memories.push(memory("fact", `${name} lives in ${home[1]}.`, [name.toLowerCase(), home[1]!.toLowerCase()], home[2] ?? null, `${name.toLowerCase()}|lives in`, ref));
    }
    const liking = /\bI (?:like|love) ([\p{L} ]+)/u.exec(text);
    if (liking) memories.push(memory("preference", `${name} likes ${liking[1]!.trim()}.`, [name.toLowerCase()], null, null, ref));
  }
  return { memories };
}

function memory(kind: string, text: string, keywords: string[], when: string | null, slot: string | null, ref: string): unknown {
  return { kind, text, keywords, tags: [kind], importance: 0.7, when, until: null, slot, sources: [ref] };
}

function consolidate(user: string): unknown {
  const existing = [...user.matchAll(/^(m\d+) \(([^)]*)\) (.*?)(?: \[[^\]]*\])?$/gmu)].map(([, ref, about, text]) => ({ ref: ref!, slot: slotOf(about!), text: text! }));
  const candidates = [...user.matchAll(/^(c\d+) \(([^)]*)\) (.*?)(?: \[[^\]]*\])?$/gmu)].map(([, ref, about, text]) => ({ ref: ref!, slot: slotOf(about!), text: text! }));
  const used = new Set<string>();
  const decisions = candidates.map((candidate) => {
    const same = existing.find((memory) => memory.text === candidate.text);
    if (same) return { candidate: candidate.ref, action: "noop", target: same.ref, text: null, links: [] };
    const replaced = existing.find((memory) => candidate.slot !== null && memory.slot === candidate.slot && !used.has(memory.ref));
    if (replaced) {
      used.add(replaced.ref);
      return { candidate: candidate.ref, action: "invalidate", target: replaced.ref, text: null, links: [{ type: "updates", to: replaced.ref }] };
    }
    return { candidate: candidate.ref, action: "add", target: null, text: null, links: [] };
  });
  return { decisions, refinements: [] };
}

/** "fact; 2023-05-01 – now; ana|lives in" → "ana|lives in". */
function slotOf(about: string): string | null {
  const slot = about.split("; ")[2];
  return slot !== undefined && slot.includes("|") ? slot : null;
}

function counted(prompt: string, content: string): ChatAnswer {
  return { content, inputTokens: Math.ceil(prompt.length / 4), outputTokens: Math.ceil(content.length / 4) };
}
