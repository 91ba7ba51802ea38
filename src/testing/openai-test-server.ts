import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI API's wire format, for testing provider adapters
 * end to end (sockets, headers, status codes, timeouts) without a network.
 *
 * By default it answers like OpenAI: `POST /v1/embeddings` returns `hashedEmbedding` vectors, which are
 * deterministic and meaningful (texts that share words have a higher cosine), and malformed requests get
 * OpenAI's 400 error shape. `POST /v1/chat/completions` answers with the `chat` option's responder; without
 * one, a well-formed request that no scripted reply takes gets a 500 saying so (script replies with
 * `chatCompletion(content)`). A test
 * can `script` replies (status, headers, body, raw text, delay) that the next requests get instead, and
 * reads every request back from `requests`.
 *
 * Routes live in one table (`ROUTES`), so more endpoints can be added.
 */
export interface OpenAITestServer {
  /** E.g. "http://127.0.0.1:40123/v1". */
  readonly baseURL: string;
  /** Every request received, in order, including those answered by a scripted reply. */
  readonly requests: RecordedRequest[];
  /** Queues replies; each is used once, by the next request to its `path` (any path when it has none). */
  script(...replies: ScriptedReply[]): void;
  /** How many scripted replies no request has taken yet. */
  unusedReplies(): number;
  /** Stops the server, dropping open connections and pending delayed replies. Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenAITestServerOptions {
  /** The length of default embeddings when a request does not ask for `dimensions`. @default 128 */
  dimensions?: number;
  /** When set, requests must send `Authorization: Bearer <apiKey>` or get OpenAI's 401. */
  apiKey?: string;
  /** Answers the well-formed chat completions that no scripted reply takes, like a model would. */
  chat?: ChatResponder;
  /** Answers from `chat` wait this long: a slow model. @default 0 */
  chatDelayMs?: number;
}

/** Gets a chat completion request's body (`model`, `messages`, …); returns what the model says. */
export type ChatResponder = (body: { model: string; messages: { role: string; content: string }[] } & Record<string, unknown>) => ChatAnswer;

export interface ChatAnswer {
  content: string;
  /** Reported in `usage`. @default 0 */
  inputTokens?: number;
  outputTokens?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. "/v1/embeddings". */
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as received. */
  rawBody: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  body: unknown;
}

export interface ScriptedReply {
  /** Only a request to this path (e.g. "/v1/embeddings") takes this reply. @default any path */
  path?: string;
  /** @default the route's own status (200 when it accepts the request) */
  status?: number;
  headers?: Record<string, string>;
  /**
   * Sent as JSON. A function gets the request and a way to compute the route's default body, to send a
   * variation of it. Without `body` or `raw`, an error status gets an OpenAI error body and a 2xx the
   * route's default one.
   */
  body?: unknown;
  /** Sent as is, instead of `body`: broken JSON, HTML, an empty body. */
  raw?: string;
  /** Wait this long before answering (the client may time out meanwhile). */
  delayMs?: number;
}

/** What a route answers: a status and a JSON body. */
export interface RouteReply {
  status: number;
  body: unknown;
}

interface ServerState {
  dimensions: number;
  chat: ChatResponder | undefined;
}

type Route = (request: RecordedRequest, state: ServerState) => RouteReply;

const ROUTES: Record<string, Route> = {
  "POST /v1/embeddings": embeddingsRoute,
  "POST /v1/chat/completions": chatCompletionsRoute,
};

export async function startOpenAITestServer(options: OpenAITestServerOptions = {}): Promise<OpenAITestServer> {
  const state: ServerState = { dimensions: options.dimensions ?? 128, chat: options.chat };
  const requests: RecordedRequest[] = [];
  const queue: ScriptedReply[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((incoming, response) => {
    response.on("error", () => undefined);
    void readBody(incoming).then((rawBody) => {
      const request: RecordedRequest = { method: incoming.method ?? "GET", path: incoming.url ?? "/", headers: incoming.headers, rawBody, body: parseJson(rawBody) };
      requests.push(request);
      const position = queue.findIndex((reply) => reply.path === undefined || reply.path === pathOnly(request.path));
      const scripted = position === -1 ? undefined : queue.splice(position, 1)[0];
      const answer = (): void => {
        if (response.destroyed) return;
        send(response, scripted ? scriptedAnswer(scripted, request, () => defaultAnswer(request, state, options.apiKey)) : defaultAnswer(request, state, options.apiKey));
      };
      const delayMs = scripted ? scripted.delayMs : options.chat && pathOnly(request.path) === "/v1/chat/completions" ? options.chatDelayMs : undefined;
      if (!delayMs) return answer();
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...replies) => void queue.push(...replies),
    unusedReplies: () => queue.length,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/**
 * The server's default embedding: a hashed bag of words. Each word (lower-cased, accents and a plural "s"
 * dropped, common stop words skipped) adds ±1 at two hashed positions, and the sum is L2-normalised. So
 * texts that share words have a higher cosine, and unrelated texts are near 0. A text with no such word
 * hashes as a whole, so only an empty text would give a zero vector (and that is refused, as OpenAI does).
 */
export function hashedEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = embeddingWords(text);
  for (const word of words.length > 0 ? words : [text.trim()]) {
    const hash = fnv1a(word);
    const second = fnv1a(`${word}#`);
    vector[hash % dimensions]! += hash & 0x80000000 ? -1 : 1;
    vector[second % dimensions]! += second & 0x80000000 ? -1 : 1;
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

const STOP_WORDS = new Set(["a", "an", "and", "are", "at", "be", "but", "by", "did", "do", "for", "from", "had", "has", "have", "i", "in", "is", "it", "my", "of", "on", "or", "our", "the", "to", "was", "we", "were", "what", "when", "where", "which", "who", "with", "you", "your"]);

function embeddingWords(text: string): string[] {
  const words = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((word) => !STOP_WORDS.has(word)).map((word) => (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word));
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

function embeddingsRoute(request: RecordedRequest, state: ServerState): RouteReply {
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return openAIError(400, "We could not parse the JSON body of your request.", "invalid_request_error");
  const { model, input, dimensions, encoding_format: encoding } = body as Record<string, unknown>;
  if (typeof model !== "string" || model === "") return openAIError(400, "you must provide a model parameter", "invalid_request_error", "model");
  const texts = typeof input === "string" ? [input] : input;
  if (!Array.isArray(texts) || texts.length === 0 || texts.some((text) => typeof text !== "string" || text === "")) {
    return openAIError(400, "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "invalid_request_error", "input");
  }
  if (dimensions !== undefined && (typeof dimensions !== "number" || !Number.isInteger(dimensions) || dimensions < 1)) {
    return openAIError(400, `Invalid value for 'dimensions' = ${String(dimensions)}. Must be a positive integer.`, "invalid_request_error", "dimensions");
  }
  if (encoding !== undefined && encoding !== "float" && encoding !== "base64") return openAIError(400, `Invalid value for 'encoding_format': ${String(encoding)}.`, "invalid_request_error", "encoding_format");
  const size = (dimensions as number | undefined) ?? state.dimensions;
  const data = (texts as string[]).map((text, index) => {
    const vector = hashedEmbedding(text, size);
    return { object: "embedding", index, embedding: encoding === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector };
  });
  const tokens = (texts as string[]).reduce((sum, text) => sum + text.split(/\s+/).filter(Boolean).length, 0);
  return { status: 200, body: { object: "list", data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } } };
}

/** A chat completion body whose first choice says `content`, as OpenAI sends it. */
export function chatCompletion(content: string, options: { inputTokens?: number; outputTokens?: number; finishReason?: string; model?: string } = {}): unknown {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1_700_000_000,
    model: options.model ?? "test-model",
    choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, finish_reason: options.finishReason ?? "stop" }],
    usage: { prompt_tokens: options.inputTokens ?? 0, completion_tokens: options.outputTokens ?? 0, total_tokens: (options.inputTokens ?? 0) + (options.outputTokens ?? 0) },
  };
}

/** Checks the request like OpenAI; a valid one gets the responder's answer, or a 500 when there is no responder. */
function chatCompletionsRoute(request: RecordedRequest, state: ServerState): RouteReply {
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return openAIError(400, "We could not parse the JSON body of your request.", "invalid_request_error");
  const { model, messages } = body as Record<string, unknown>;
  if (typeof model !== "string" || model === "") return openAIError(400, "you must provide a model parameter", "invalid_request_error", "model");
  const valid = (message: unknown): boolean =>
    typeof message === "object" && message !== null && ["system", "user", "assistant"].includes(String((message as Record<string, unknown>).role)) && typeof (message as Record<string, unknown>).content === "string";
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every(valid)) return openAIError(400, "Invalid 'messages': expected a non-empty array of { role, content }.", "invalid_request_error", "messages");
  if (state.chat) {
    const answer = state.chat(body as Parameters<ChatResponder>[0]);
    return { status: 200, body: chatCompletion(answer.content, { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens, model }) };
  }
  return openAIError(500, "The test server has no scripted reply for this chat completion: call server.script({ body: chatCompletion(...) }) first, or start it with a chat responder.", "server_error");
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

function defaultAnswer(request: RecordedRequest, state: ServerState, apiKey: string | undefined): Answer {
  const route = ROUTES[`${request.method} ${pathOnly(request.path)}`];
  const authorized = apiKey === undefined || request.headers.authorization === `Bearer ${apiKey}`;
  const reply = !authorized
    ? openAIError(401, "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", null, "invalid_api_key")
    : route
      ? route(request, state)
      : openAIError(404, `Unknown request URL: ${request.method} ${request.path}.`, "invalid_request_error", null, "unknown_url");
  return { status: reply.status, headers: {}, text: JSON.stringify(reply.body) };
}

function scriptedAnswer(reply: ScriptedReply, request: RecordedRequest, standard: () => Answer): Answer {
  const headers = reply.headers ?? {};
  if (reply.raw !== undefined) return { status: reply.status ?? 200, headers, text: reply.raw };
  if (typeof reply.body === "function") {
    const body = (reply.body as (request: RecordedRequest, standard: () => unknown) => unknown)(request, () => JSON.parse(standard().text) as unknown);
    return { status: reply.status ?? 200, headers, text: JSON.stringify(body) };
  }
  if (reply.body !== undefined) return { status: reply.status ?? 200, headers, text: JSON.stringify(reply.body) };
  if (reply.status !== undefined && (reply.status < 200 || reply.status > 299)) {
    return { status: reply.status, headers, text: JSON.stringify(openAIError(reply.status, `Scripted error ${reply.status}.`, reply.status >= 500 ? "server_error" : "invalid_request_error").body) };
  }
  const answer = standard();
  return { ...answer, status: reply.status ?? answer.status, headers: { ...answer.headers, ...headers } };
}

function openAIError(status: number, message: string, type: string, param: string | null = null, code: string | null = null): RouteReply {
  return { status, body: { error: { message, type, param, code } } };
}

function send(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
  response.end(answer.text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function pathOnly(path: string): string {
  return path.split("?")[0] ?? path;
}
