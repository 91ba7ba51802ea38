import { createRoute, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { CHANGE_OPERATIONS, MEMORY_KINDS, type RecallOptions } from "../../domain/types.js";
import type { Subscription } from "../../share/subscribe-changes.js";
import { errorBody } from "./error-response.js";
import { componentRef, errorResponses, listed, many, streamResponse, type HttpRouter, type MemoryOf } from "./http-env.js";
import { ChangeEventSchema } from "./response-schemas.js";

/** An event of the stream, as OpenAPI 3.2 describes server-sent events. */
const SSE_EVENT = {
  type: "object",
  required: ["id", "event", "data"],
  properties: {
    id: { type: "string", description: "The change's seq" },
    event: { type: "string", enum: CHANGE_OPERATIONS },
    data: { type: "string", contentMediaType: "application/json", contentSchema: componentRef("ChangeEvent") },
  },
};

/**
 * GET /v1/changes: the change feed as server-sent events. Each open stream is added to `streams`, so a
 * shutdown can end them first (their clients resume with Last-Event-ID).
 */
export function registerChangeRoutes(app: HttpRouter, memoryOf: MemoryOf, streams: Set<Subscription>): void {
  app.openAPIRegistry.register("ChangeEvent", ChangeEventSchema);
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
      responses: { 200: streamResponse("text/event-stream", "One event per change: id = seq, event = operation, data = the ChangeEvent as JSON", SSE_EVENT), ...errorResponses(400, 401) },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const lastEventId = c.req.header("last-event-id");
      if (lastEventId !== undefined && !/^\d{1,15}$/.test(lastEventId)) {
        return c.json(errorBody("invalid_input", "Last-Event-ID must be a sequence number this stream sent.", { field: "Last-Event-ID" }), 400);
      }
      // HEAD runs this handler too, but its body is never read: a stream opened for it would block on its
      // first write for ever, holding its subscription and heartbeat (test/http-fuzz.test.ts).
      if (c.req.method === "HEAD") return new Response(null, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" } });
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
}
