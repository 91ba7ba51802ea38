import { MemoryError } from "../../domain/memory-error.js";
import type { TokenUsage } from "../llm.js";

/** The parts of a chat completion the adapter uses. */
export interface ChatReply {
  /** The first choice's text; "" when the model wrote none. */
  content: string;
  /** Why the model stopped, e.g. "stop" or "length" (cut off by max_tokens). */
  finishReason: string | undefined;
  /** OpenAI structured outputs' explanation when the model declined to answer. */
  refusal: string | undefined;
  usage: TokenUsage;
}

/**
 * Reads `{ choices: [{ message: { content, refusal }, finish_reason }], usage: { prompt_tokens, completion_tokens } }`.
 * Only the envelope is checked here; what the content says is the caller's business. A body without a
 * first choice's message is not a chat completion, so it fails at once rather than being retried.
 */
export function readChatReply(body: unknown, context: { provider: string; url: string }): ChatReply {
  const record = asRecord(body);
  const choice = Array.isArray(record?.choices) ? asRecord(record.choices[0]) : undefined;
  const message = asRecord(choice?.message);
  if (!message) {
    throw new MemoryError(
      "provider",
      `${context.provider}: POST ${context.url} replied with a body that is not a chat completion (no choices[0].message). Check that baseURL points at an OpenAI-compatible API (it usually ends in /v1).`,
      { details: { provider: context.provider, url: context.url } },
    );
  }
  const usage = asRecord(record?.usage);
  return {
    content: typeof message.content === "string" ? message.content : "",
    finishReason: typeof choice?.finish_reason === "string" ? choice.finish_reason : undefined,
    refusal: typeof message.refusal === "string" && message.refusal !== "" ? message.refusal : undefined,
    usage: { inputTokens: tokenCount(usage?.prompt_tokens), outputTokens: tokenCount(usage?.completion_tokens) },
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function tokenCount(value: unknown): number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}
