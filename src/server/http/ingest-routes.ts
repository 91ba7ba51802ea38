import { createRoute, z } from "@hono/zod-openapi";
import { stream } from "hono/streaming";
import { EVENT_KINDS, EVENT_ROLES, type EventInput } from "../../domain/types.js";
import { toErrorResponse } from "./error-response.js";
import { componentRef, errorResponses, jsonResponse, streamResponse, time, type HttpRouter, type MemoryOf } from "./http-env.js";
import { IngestResultSchema, IngestStreamAckSchema, IngestStreamDoneSchema } from "./response-schemas.js";
import { NDJSON_TYPES, isNdjson, readNdjson } from "./read-ndjson.js";

const EventSchema = z
  .strictObject({
    text: z.string().openapi({ description: "What was said, done or seen" }),
    idempotencyKey: z.string().optional().openapi({ description: "Re-sending the same key is a no-op; each principal's keys are its own" }),
    space: z.string().optional(),
    kind: z.enum(EVENT_KINDS as [string, ...string[]]).optional(),
    role: z.enum(EVENT_ROLES as [string, ...string[]]).optional(),
    speaker: z.string().optional(),
    sessionId: z.string().optional(),
    occurredAt: time.optional(),
    attachments: z.array(z.strictObject({ kind: z.string(), caption: z.string().optional(), url: z.string().optional() })).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi("Event");

const IngestBodySchema = z.union([EventSchema, z.array(EventSchema).min(1)]).openapi("IngestBody");

const NDJSON_STREAM = z.string().openapi({
  description:
    "One Event per line, sent as they happen (blank lines keep a quiet stream open). The reply streams one line per event once it is durable and recallable " +
    "({ index, eventId, memoryId, idempotencyKey, duplicate }), then { done, inserted, duplicates }, or { error } if the stream ended on a bad line; " +
    "what was acknowledged before stays stored.",
});

/** Longest line of a streamed body: an event at the engine's largest text and metadata, JSON-escaped. */
const MAX_LINE_CHARS = 1_048_576;

/** POST /v1/events: a JSON event or array (one transaction), or an NDJSON stream acknowledged event by event. */
export function registerIngestRoutes(app: HttpRouter, memoryOf: MemoryOf): void {
  app.openAPIRegistry.register("IngestStreamAck", IngestStreamAckSchema);
  app.openAPIRegistry.register("IngestStreamDone", IngestStreamDoneSchema);
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/events",
      summary: "Ingest events: each becomes an episode memory, durable and recallable when it is acknowledged",
      request: {
        body: {
          content: {
            "application/json": { schema: IngestBodySchema },
            ...Object.fromEntries(NDJSON_TYPES.map((type) => [type, { schema: NDJSON_STREAM }])),
          },
          // Not required, so that the JSON validator steps aside for NDJSON; an empty body still fails the engine's check.
          required: false,
        },
      },
      responses: {
        201: jsonResponse(IngestResultSchema, "Every event is durable and recallable"),
        200: streamResponse("application/x-ndjson", "The acknowledgements of an NDJSON stream, one JSON value a line", {
          anyOf: [componentRef("IngestStreamAck"), componentRef("IngestStreamDone"), componentRef("Error")],
        }),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const memory = await memoryOf(c.get("scope"));
      if (!isNdjson(c.req.header("content-type"))) {
        return c.json(await memory.ingest(c.req.valid("json") as EventInput | EventInput[]), 201);
      }
      c.header("Content-Type", "application/x-ndjson");
      c.header("Cache-Control", "no-store");
      // A stream that ends on a bad line stops reading the upload, which cannot then be told from the next
      // request on the connection: the connection ends with the reply (test/http-fuzz.test.ts).
      c.header("Connection", "close");
      // The route's types know its JSON reply only; the stream is the NDJSON one it documents.
      return stream(c, async (out) => {
        const send = (value: unknown): Promise<unknown> => out.write(`${JSON.stringify(value)}\n`);
        let index = 0;
        try {
          const result = await memory.ingest(readNdjson(c.req.raw.body, MAX_LINE_CHARS) as AsyncIterable<EventInput>, {
            // Waiting for each write pushes back on the stream when the client reads its acks slowly.
            onIngested: async (events) => {
              await out.write(events.map((event) => `${JSON.stringify({ index: index++, ...event })}\n`).join(""));
            },
          });
          await send({ done: true, inserted: result.inserted, duplicates: result.duplicates });
        } catch (error) {
          if (out.aborted) return; // the client went away: what it was sent an ack for is stored
          const { status, body } = toErrorResponse(error);
          if (status >= 500) console.error(error); // eslint-disable-line no-console -- the operator's log is the only place for internals
          // The status went out with the first byte: a failure is the stream's last line.
          await send(body).catch(() => {});
        }
      }) as never;
    },
  );
}
