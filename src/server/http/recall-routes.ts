import { createRoute, z } from "@hono/zod-openapi";
import { MEMORY_KINDS, type RecallOptions } from "../../domain/types.js";
import { errorResponses, jsonResponse, time, type HttpRouter, type MemoryOf } from "./http-env.js";
import { RecallResultSchema } from "./response-schemas.js";

// The schema validates requests at the boundary and is the OpenAPI document's, so the two cannot drift
// apart. The engine checks everything again (lengths, dates, limits).
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

/** POST /v1/recall: ranked memories and the context assembled from them. */
export function registerRecallRoutes(app: HttpRouter, memoryOf: MemoryOf): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/recall",
      summary: "Recall: ranked memories and the context assembled from them within a token budget",
      request: { body: { content: { "application/json": { schema: RecallBodySchema } }, required: true } },
      responses: { 200: jsonResponse(RecallResultSchema, "The ranked items and the context assembled from them"), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { query, ...recallOptions } = c.req.valid("json");
      const memory = await memoryOf(c.get("scope"));
      return c.json(await memory.recall(query, recallOptions as RecallOptions), 200);
    },
  );
}
