import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { streamSSE } from "hono/streaming";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { MEMORY_KINDS, type RecallOptions } from "../../domain/types.js";
import { createMemory, type CreateMemoryOptions, type Memory } from "../../memory.js";
import type { Subscription } from "../../share/subscribe-changes.js";
import type { MemoryStore, StoreScope } from "../../store/store.js";
import { authenticateApiKey } from "../api-keys.js";
import { errorBody, toErrorResponse } from "./error-response.js";
import { errorResponses, jsonResponse, listed, many, time, type HttpEnv } from "./http-env.js";
import { registerIngestRoutes } from "./ingest-routes.js";
import { registerJobRoutes } from "./job-routes.js";
import { registerMemoryRoutes } from "./memory-routes.js";
import { createRateLimiter, type RateLimit } from "./rate-limiter.js";
import { isNdjson } from "./read-ndjson.js";
import { registerSpaceRoutes } from "./space-routes.js";

export interface HttpAppOptions {
  store: MemoryStore;
  /** Passed to every principal's memory (embedder, llm, extraction, clock …); store, tenant and principal are the key's. */
  memory?: Omit<CreateMemoryOptions, "store" | "path" | "tenant" | "principal">;
  /** @default 1 MiB */
  maxBodyBytes?: number;
  /**
   * Each API key's allowance; over it, requests get 429 with Retry-After. `false` turns limits off.
   * @default { requestsPerSecond: 100, burst: 200 }
   */
  rateLimit?: RateLimit | false;
  /** The rate limiter's clock, in epoch milliseconds. @default Date.now */
  now?: () => number;
}

export interface HttpApp {
  app: OpenAPIHono<HttpEnv>;
  /** Ends every change stream (their clients resume with Last-Event-ID): the first step of a shutdown. */
  closeStreams(): void;
  /** Closes every principal's memory (the store stays open: it is the caller's). */
  close(): Promise<void>;
}

// Request bodies of the HTTP API: they validate requests at the boundary and are the OpenAPI document's
// schemas, so the two cannot drift apart. The engine checks everything again (lengths, dates, limits).

const names = z.array(z.string()).min(1).max(100);

const RecallBodySchema = z
  .strictObject({
    query: z.string().min(1),
    spaces: names.optional(),
    kinds: z.array(z.enum(MEMORY_KINDS as [string, ...string[]])).min(1).optional(),
    authors: names.optional(),
    timeRange: z.strictObject({ from: time.optional(), to: time.optional() }).optional(),
    asOf: time.optional(),
    now: time.optional(),
    budgetTokens: z.number().int().min(1).optional(),
    limit: z.number().int().min(1).optional(),
  })
  .openapi("RecallBody");

const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }) })
  .openapi("Error");

const DEFAULT_RATE_LIMIT: RateLimit = { requestsPerSecond: 100, burst: 200 };
const PUBLIC_PATHS = new Set(["/v1/health", "/v1/openapi.json"]);

/**
 * The HTTP API over the Memory interface. Thin: it authenticates the API key, validates the request
 * against the schemas of the OpenAPI document, calls the key's principal's Memory, and maps errors to
 * statuses in one place. Each principal's Memory is opened on first use and kept.
 */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const memories = new Map<string, Promise<Memory>>();
  const streams = new Set<Subscription>();
  const memoryOf = (scope: StoreScope): Promise<Memory> => {
    const key = `${scope.tenantId}\u0000${scope.principalId}`;
    let memory = memories.get(key);
    if (!memory) {
      memory = createMemory({ ...options.memory, store: options.store, tenant: scope.tenantId, principal: scope.principalId });
      memory.catch(() => memories.delete(key));
      memories.set(key, memory);
    }
    return memory;
  };

  const limiter = options.rateLimit === false ? null : createRateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT, options.now ?? Date.now);
  const app = new OpenAPIHono<HttpEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = explain(result.error.issues);
      const first = issues[0];
      const message = first ? `${first.path || "body"}: ${first.message}` : "The request does not match its schema.";
      return c.json(errorBody("invalid_input", `${message} (see /v1/openapi.json)`, { field: first?.path ?? null, issues }), 400);
    },
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      const code = error.status === 413 ? "too_large" : error.status === 401 ? "unauthorized" : "invalid_input";
      const message =
        error.status === 415 ? `Content-Type ${c.req.header("content-type") ?? "(none)"} is not served here: send application/json (or, to /v1/events, application/x-ndjson).` : error.message;
      return c.json(errorBody(code, message || "The request could not be read."), error.status as ContentfulStatusCode);
    }
    const { status, body } = toErrorResponse(error);
    if (status >= 500) console.error(error); // eslint-disable-line no-console -- the operator's log is the only place for internals
    return c.json(body, status as ContentfulStatusCode);
  });
  app.notFound((c) => c.json(errorBody("not_found", `No endpoint ${c.req.method} ${c.req.path}. The API is described at /v1/openapi.json.`), 404));

  const limitBody = bodyLimit({
    maxSize: options.maxBodyBytes ?? 1_048_576,
    // The rest of the refused body is never read, so the connection cannot be reused: say so.
    onError: (c) => (c.header("Connection", "close"), c.json(errorBody("too_large", `The request body is over ${options.maxBodyBytes ?? 1_048_576} bytes. Send fewer events per request.`), 413)),
  });
  // A streamed body may run for hours: its lines are limited one by one instead.
  app.use("/v1/*", (c, next) => (c.req.path === "/v1/events" && isNdjson(c.req.header("content-type")) ? next() : limitBody(c, next)));
  app.use("/v1/*", async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path)) return next();
    const header = c.req.header("authorization") ?? "";
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const scope = token === undefined ? null : await authenticateApiKey(options.store, token);
    if (!scope) {
      c.header("WWW-Authenticate", 'Bearer realm="mnemo"');
      return c.json(errorBody("unauthorized", "Send a valid API key: Authorization: Bearer mnemo_… (make one with mnemo keys create)."), 401);
    }
    c.set("scope", { tenantId: scope.tenantId, principalId: scope.principalId });
    const waitMs = limiter?.take(scope.keyId) ?? 0;
    if (waitMs > 0) {
      c.header("Retry-After", String(Math.ceil(waitMs / 1_000)));
      return c.json(errorBody("rate_limited", `Too many requests with this API key: try again in ${Math.ceil(waitMs / 1_000)} s.`, { retryAfterMs: waitMs }), 429);
    }
    return next();
  });

  app.get("/v1/health", (c) => c.json({ status: "ok" }));

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/recall",
      summary: "Recall: ranked memories and the context assembled from them within a token budget",
      request: { body: { content: { "application/json": { schema: RecallBodySchema } }, required: true } },
      responses: { 200: jsonResponse("RecallResult"), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { query, ...recallOptions } = c.req.valid("json");
      const memory = await memoryOf(c.get("scope"));
      return c.json(await memory.recall(query, recallOptions as RecallOptions), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/memories/{id}",
      summary: "A memory: its current version, or the one asked for (a forgotten memory is a tombstone)",
      request: {
        params: z.object({ id: z.string().max(256) }),
        query: z.object({ version: z.coerce.number().int().min(1).optional() }),
      },
      responses: { 200: jsonResponse("MemoryRecord"), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { version } = c.req.valid("query");
      const memory = await memoryOf(c.get("scope"));
      return c.json(await memory.get(id, version === undefined ? {} : { version }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/changes",
      summary:
        "The changes the key may see, as server-sent events (id: the sequence number), live; resume after a dropped connection with Last-Event-ID",
      request: {
        query: z.object({
          since: z.coerce.number().int().min(0).optional().openapi({ description: "Start after this sequence number (Last-Event-ID wins); default: from now" }),
          space: many(z.string()),
          kind: many(z.enum(MEMORY_KINDS as [string, ...string[]])),
        }),
      },
      responses: { 200: { content: { "text/event-stream": { schema: z.string() } }, description: "One event per change: event = operation, data = the ChangeEvent as JSON" }, ...errorResponses(400, 401) },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const lastEventId = c.req.header("last-event-id");
      if (lastEventId !== undefined && !/^\d{1,15}$/.test(lastEventId)) {
        return c.json(errorBody("invalid_input", "Last-Event-ID must be a sequence number this stream sent.", { field: "Last-Event-ID" }), 400);
      }
      const since = lastEventId !== undefined ? Number(lastEventId) : query.since;
      const memory = await memoryOf(c.get("scope"));
      const subscription = memory.subscribe({ since, spaces: listed(query.space), kinds: listed(query.kind) as RecallOptions["kinds"] });
      streams.add(subscription);
      return streamSSE(c, async (stream) => {
        stream.onAbort(() => subscription.close());
        // A comment now and then keeps proxies from closing a quiet stream.
        const heartbeat = setInterval(() => void stream.write(": keep-alive\n\n").catch(() => subscription.close()), 15_000);
        try {
          // Each change is read only when the last one was written: a slow client holds up no writer.
          for await (const change of subscription) {
            await stream.writeSSE({ id: String(change.seq), event: change.operation, data: JSON.stringify(change) });
          }
        } finally {
          clearInterval(heartbeat);
          streams.delete(subscription);
          subscription.close();
        }
      });
    },
  );

  registerIngestRoutes(app, memoryOf);
  registerJobRoutes(app, memoryOf);
  registerMemoryRoutes(app, memoryOf);
  registerSpaceRoutes(app, memoryOf);

  app.openAPIRegistry.register("Error", ErrorSchema);
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", { type: "http", scheme: "bearer", description: "An API key from mnemo keys create" });
  app.doc31("/v1/openapi.json", {
    openapi: "3.1.0",
    info: { title: "mnemo", version: "1", description: "Long-term memory for LLM agents. Every endpoint but /v1/health and this document takes an API key." },
    security: [{ apiKey: [] }],
  });

  return {
    app,
    closeStreams: () => {
      for (const subscription of [...streams]) subscription.close();
    },
    close: async () => {
      const opened = await Promise.allSettled(memories.values());
      memories.clear();
      for (const result of opened) if (result.status === "fulfilled") await result.value.close();
    },
  };
}

interface Issue {
  code?: string;
  path: PropertyKey[];
  message: string;
  errors?: Issue[][];
}

/**
 * Issues as paths and messages. A union (one event, or an array of them) reports only that no branch
 * matched: the branch whose root type fits the input says what is actually wrong.
 */
function explain(issues: readonly Issue[], prefix: PropertyKey[] = []): { path: string; message: string }[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors && issue.errors.length > 0) {
      const fitting = issue.errors.find((branch) => !branch.some((inner) => inner.code === "invalid_type" && inner.path.length === 0)) ?? issue.errors[0]!;
      return explain(fitting, path);
    }
    return [{ path: path.map(String).join("."), message: issue.message }];
  });
}
