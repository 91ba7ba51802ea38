import { MemoryError } from "../../domain/memory-error.js";
import { backoffMs, retryAfterMs } from "./retry-delay.js";

/** How requests to an OpenAI-compatible server are sent and retried: the adapter's resolved options. */
export interface HttpSettings {
  /** Names the adapter in errors' `details.provider`. */
  provider: string;
  fetch: typeof globalThis.fetch;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  now: () => number;
  timeoutMs: number;
  maxRetries: number;
  maxRetryAfterMs: number;
}

export interface JsonRequest {
  url: string;
  headers: Readonly<Record<string, string>>;
  body: unknown;
  signal?: AbortSignal;
  /** The fix to suggest when the server refuses the request with this 4xx status, if a better one than the default. */
  hint?: (status: number) => string | undefined;
}

/** What went wrong in one attempt, before we know whether it is the last. */
interface Failure {
  summary: string;
  fix: string;
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * POSTs `body` as JSON and returns the parsed JSON reply of a 2xx response. Retries network errors,
 * timeouts, 429 and 5xx up to `maxRetries` times, waiting what `Retry-After` asks (up to
 * `maxRetryAfterMs`) or an exponential backoff with jitter; fails at once on other statuses and on a reply
 * that is not JSON. Every failure is a `MemoryError` with code `provider`; a caller's abort rejects with
 * the signal's reason instead.
 */
export async function postJson(settings: HttpSettings, request: JsonRequest): Promise<unknown> {
  const body = JSON.stringify(request.body);
  for (let attempt = 1; ; attempt += 1) {
    request.signal?.throwIfAborted();
    const outcome = await attemptOnce(settings, request, body);
    if (!("summary" in outcome)) return outcome.value;
    if (!outcome.retryable || attempt > settings.maxRetries) throw toError(settings, request, outcome, attempt);
    if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > settings.maxRetryAfterMs) {
      const wait = `The server asked to retry after ${outcome.retryAfterMs} ms, longer than maxRetryAfterMs (${settings.maxRetryAfterMs} ms): retry later, or raise maxRetryAfterMs.`;
      throw toError(settings, request, { ...outcome, fix: wait }, attempt);
    }
    await settings.sleep(outcome.retryAfterMs ?? backoffMs(attempt, settings.random), request.signal);
  }
}

async function attemptOnce(settings: HttpSettings, request: JsonRequest, body: string): Promise<{ value: unknown } | Failure> {
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await settings.fetch(request.url, { method: "POST", headers: request.headers, body, signal });
    text = await response.text();
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    if (timeout.aborted) {
      return { summary: `timed out after ${settings.timeoutMs} ms`, fix: "Raise timeoutMs, or check that the server is up and not overloaded.", retryable: true, cause: error };
    }
    return { summary: `could not reach the server (${describeNetworkError(error)})`, fix: "Check baseURL and that the server is running.", retryable: true, cause: error };
  }
  if (response.ok) {
    try {
      return { value: JSON.parse(text) as unknown };
    } catch (error) {
      return {
        summary: `replied with HTTP ${response.status} and a body that is not JSON: ${snippet(text)}`,
        fix: "Check that baseURL points at an OpenAI-compatible API (it usually ends in /v1).",
        retryable: false,
        status: response.status,
        cause: error,
      };
    }
  }
  const status = response.status;
  const reason = providerMessage(text);
  const summary = `failed with HTTP ${status}${reason ? `: ${reason}` : ""}`;
  if (status === 429 || status >= 500) {
    const fix = status === 429 ? "The provider is rate-limiting: retry later, send less, or raise maxRetries." : "The provider failed: retry later, or raise maxRetries.";
    return { summary, fix, retryable: true, status, retryAfterMs: retryAfterMs(response.headers, settings.now()) };
  }
  return { summary, fix: request.hint?.(status) ?? defaultHint(status), retryable: false, status };
}

function toError(settings: HttpSettings, request: JsonRequest, failure: Failure, attempt: number): MemoryError {
  const attempts = attempt > 1 ? ` (gave up after ${attempt} attempts)` : "";
  return new MemoryError("provider", `${settings.provider}: POST ${request.url} ${failure.summary}${attempts}. ${failure.fix}`, {
    details: {
      provider: settings.provider,
      url: request.url,
      attempt,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
    },
    cause: failure.cause,
  });
}

function defaultHint(status: number): string {
  if (status === 401 || status === 403) return "Check apiKey.";
  if (status === 404) return "Check baseURL (it usually ends in /v1) and model.";
  return "Check the adapter's options.";
}

/** The provider's own explanation from an error body: OpenAI `{ error: { message } }`, Ollama `{ error }`, vLLM `{ message }`, FastAPI `{ detail }`. */
function providerMessage(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.trim() === "" ? undefined : snippet(text);
  }
  if (typeof body !== "object" || body === null) return snippet(text);
  const record = body as Record<string, unknown>;
  const error = record.error;
  const candidates = [typeof error === "object" && error !== null ? (error as Record<string, unknown>).message : error, record.message, record.detail];
  const message = candidates.find((candidate): candidate is string => typeof candidate === "string" && candidate.trim() !== "");
  // Without its final full stop, so that the sentence we wrap it in reads right.
  return message === undefined ? snippet(text) : truncate(message.trim().replace(/\.+$/, ""), 500);
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

function snippet(text: string): string {
  return JSON.stringify(truncate(text.trim(), 200));
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length)}…`;
}
