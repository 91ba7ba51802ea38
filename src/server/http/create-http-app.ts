import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { createMemory, type CreateMemoryOptions, type Memory } from "../../memory.js";
import type { Subscription } from "../../share/subscribe-changes.js";
import type { MemoryStore, StoreScope } from "../../store/store.js";
import { authenticateApiKey } from "../api-keys.js";
import { registerMcpRoutes } from "../mcp/mcp-routes.js";
import { errorBody, toErrorResponse } from "./error-response.js";
import type { HttpEnv } from "./http-env.js";
import { registerChangeRoutes } from "./change-routes.js";
import { registerIngestRoutes } from "./ingest-routes.js";
import { registerJobRoutes } from "./job-routes.js";
import { registerMemoryRoutes } from "./memory-routes.js";
import { registerRecallRoutes } from "./recall-routes.js";
import { createRateLimiter, type RateLimit } from "./rate-limiter.js";
import { isNdjson } from "./read-ndjson.js";
import { ErrorSchema } from "./response-schemas.js";
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
  // A streamed body may run for hours: its lines are limited one by one instead. Any other body the answer
  // left unread (a 401, 415, 429 … sent before the route read it) is read to its end before the answer
  // goes: left half-read, @hono/node-server cuts the connection 500 ms later, and the client's next request
  // on it fails (test/http-fuzz.test.ts). Past bodyLimit, it is at most maxBodyBytes.
  app.use("/v1/*", async (c, next) => {
    if (c.req.path === "/v1/events" && isNdjson(c.req.header("content-type"))) return next();
    const refused = await limitBody(c, next);
    if (refused instanceof Response) return refused;
    const body = c.req.raw.body;
    if (body && !c.req.raw.bodyUsed && !body.locked) await body.pipeTo(new WritableStream()).catch(() => {});
  });
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

  registerIngestRoutes(app, memoryOf);
  registerRecallRoutes(app, memoryOf);
  registerChangeRoutes(app, memoryOf, streams);
  registerJobRoutes(app, memoryOf);
  registerMemoryRoutes(app, memoryOf);
  registerSpaceRoutes(app, memoryOf);
  const mcp = registerMcpRoutes(app, memoryOf);

  app.openAPIRegistry.register("Error", ErrorSchema);
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", { type: "http", scheme: "bearer", description: "An API key from mnemo keys create" });
  app.doc31("/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "mnemo",
      version: "1",
      description:
        "Long-term memory for LLM agents. Every endpoint but /v1/health and this document takes an API key. " +
        "MCP (Streamable HTTP) is served at /v1/mcp with the same keys.",
    },
    security: [{ apiKey: [] }],
  });

  return {
    app,
    closeStreams: () => {
      for (const subscription of [...streams]) subscription.close();
      // Ends the MCP sessions' streams too; close() awaits it and reports a failure.
      mcp.close().catch(() => {});
    },
    close: async () => {
      await mcp.close();
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
