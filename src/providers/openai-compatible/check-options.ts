import { invalidInput, MemoryError } from "../../domain/memory-error.js";
import { abortableSleep } from "./abortable-sleep.js";
import type { HttpSettings } from "./post-json.js";

// Option checks shared by the OpenAI-compatible adapters, so they refuse bad settings alike, at creation.

/** How an OpenAI-compatible adapter reaches its server: the options the embeddings and chat adapters share. */
export interface OpenAICompatibleOptions {
  /** The API root, e.g. "https://api.openai.com/v1" or Ollama's "http://127.0.0.1:11434/v1". */
  baseURL: string;
  /** Sent as `Authorization: Bearer <apiKey>`. Local servers (Ollama, vLLM, LM Studio) usually need none. */
  apiKey?: string;
  /** Extra request headers, e.g. `{ "api-key": "…" }` for Azure or an organisation header. */
  headers?: Record<string, string>;
  /** Names the provider in `name` and in errors' `details.provider`. @default "openai-compatible" */
  provider?: string;
  /** Each request (attempt) is aborted after this long. @default 30_000 for embeddings, 60_000 for chat */
  timeoutMs?: number;
  /** Retries of a request after a network error, a timeout, HTTP 429 or 5xx; other errors fail at once. @default 4 for embeddings, 3 for chat */
  maxRetries?: number;
  /** The longest `Retry-After` honoured; a server that asks for more fails the call at once. @default 60_000 */
  maxRetryAfterMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Waits between retries; tests pass one that records and resolves at once. @default a timer, cut short by the caller's signal */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1), for backoff jitter. @default Math.random */
  random?: () => number;
  /** Milliseconds since the epoch, to read `Retry-After` dates. @default Date.now */
  now?: () => number;
}

/** The HTTP settings `postJson` needs, checked, with the adapter's own defaults for time-outs and retries. */
export function resolveHttpSettings(options: OpenAICompatibleOptions, defaults: { timeoutMs: number; maxRetries: number }): HttpSettings {
  return {
    provider: options.provider === undefined ? "openai-compatible" : requireText("provider", options.provider, 'e.g. "ollama"'),
    fetch: optionalFunction("fetch", options.fetch) ?? ((input, init) => globalThis.fetch(input, init)),
    sleep: optionalFunction("sleep", options.sleep) ?? abortableSleep,
    random: optionalFunction("random", options.random) ?? Math.random,
    now: optionalFunction("now", options.now) ?? Date.now,
    timeoutMs: positiveInteger("timeoutMs", options.timeoutMs, defaults.timeoutMs),
    maxRetries: nonNegativeInteger("maxRetries", options.maxRetries, defaults.maxRetries),
    maxRetryAfterMs: nonNegativeInteger("maxRetryAfterMs", options.maxRetryAfterMs, 60_000),
  };
}

export function endpointURL(baseURL: unknown, path: string): string {
  const example = 'e.g. "https://api.openai.com/v1" or "http://127.0.0.1:11434/v1"';
  if (typeof baseURL !== "string" || baseURL.trim() === "") throw invalidInput("baseURL", `must be the API's root URL, ${example}; got ${JSON.stringify(baseURL) ?? "undefined"}.`);
  let parsed: URL;
  try {
    parsed = new URL(baseURL.trim());
  } catch {
    throw invalidInput("baseURL", `${JSON.stringify(baseURL)} is not a URL; pass the API's root URL, ${example}.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw invalidInput("baseURL", `must be an http or https URL, got ${parsed.protocol} in ${JSON.stringify(baseURL)}; ${example}.`);
  if (parsed.username !== "" || parsed.password !== "") throw invalidInput("baseURL", "must not contain credentials; pass the key as apiKey instead.");
  if (parsed.search !== "" || parsed.hash !== "") throw invalidInput("baseURL", `must not have a query or fragment, got ${JSON.stringify(baseURL)}; ${example}.`);
  return `${parsed.href.replace(/\/+$/, "")}/${path}`;
}

export function requestHeaders(apiKey: unknown, extra: unknown): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (extra !== undefined) {
    if (typeof extra !== "object" || extra === null || Array.isArray(extra)) throw invalidInput("headers", "must be an object of header names to string values.");
    for (const [name, value] of Object.entries(extra)) {
      if (typeof value !== "string") throw invalidInput(`headers.${name}`, `must be a string, got ${typeof value}.`);
      checkHeader(`headers.${name}`, name, value);
      headers[name.toLowerCase()] = value;
    }
  }
  if (apiKey !== undefined) {
    if (typeof apiKey !== "string" || apiKey.trim() === "") throw invalidInput("apiKey", "must be a non-empty string when given; leave it out for servers that need no key.");
    checkHeader("apiKey", "authorization", `Bearer ${apiKey.trim()}`);
    headers.authorization = `Bearer ${apiKey.trim()}`;
  }
  return headers;
}

/**
 * Found now rather than at the first request, where fetch's refusal would look like a network failure.
 * The error leaves the value out, and so has no `cause` (fetch's message quotes the value): it may be a secret.
 */
function checkHeader(field: string, name: string, value: string): void {
  try {
    new Headers([[name, value]]);
  } catch {
    throw new MemoryError("invalid_input", `${field}: cannot be sent as an HTTP header: a name must be a token (letters, digits, !#$%&'*+-.^_\`|~) and a value must not contain line breaks or characters outside Latin-1.`, { details: { field } });
  }
}

export function requireText(field: string, value: unknown, example: string): string {
  if (typeof value !== "string" || value.trim() === "") throw invalidInput(field, `must be a non-empty string, ${example}; got ${JSON.stringify(value) ?? "undefined"}.`);
  return value.trim();
}

export function positiveInteger(field: string, value: unknown, fallback: number | undefined): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) throw invalidInput(field, `must be a positive integer, got ${String(value)}.`);
  return value;
}

export function nonNegativeInteger(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw invalidInput(field, `must be an integer of 0 or more, got ${String(value)}.`);
  return value;
}

export function optionalFunction<T>(field: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== "function") throw invalidInput(field, `must be a function, got ${typeof value}.`);
  return value;
}
