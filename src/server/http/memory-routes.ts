import { createRoute, z } from "@hono/zod-openapi";
import { ADMISSION_STATUSES } from "../../domain/spaces.js";
import { MEMORY_KINDS, type ListOptions, type UpdateInput } from "../../domain/types.js";
import { errorResponses, jsonResponse, listed, many, time, type HttpRouter, type MemoryOf } from "./http-env.js";
import { ForgetResultSchema, MemoryLinkSchema, MemoryPageSchema, MemoryRecordSchema, MemoryStatsSchema } from "./response-schemas.js";

const id = z.object({ id: z.string().max(256) });
const expectedVersion = z.object({ expectedVersion: z.coerce.number().int().min(1).optional() });

const UpdateSchema = z
  .strictObject({
    expectedVersion: z.number().int().min(1).openapi({ description: "The version you read; a stale one is a 409 with details.currentVersion" }),
    text: z.string().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    importance: z.number().min(0).max(1).optional(),
    validFrom: time.nullable().optional(),
    validTo: time.nullable().optional(),
  })
  .openapi("MemoryUpdate");

/** Reading and changing memories one by one: list, update, history, forget, links, feedback, review. */
export function registerMemoryRoutes(app: HttpRouter, memoryOf: MemoryOf): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/memories/{id}",
      summary: "A memory: its current version, or the one asked for (a forgotten memory is a tombstone)",
      request: {
        params: z.object({ id: z.string().max(256) }),
        query: z.object({ version: z.coerce.number().int().min(1).optional() }),
      },
      responses: { 200: jsonResponse(MemoryRecordSchema, "The version asked for"), ...errorResponses(400, 401, 404) },
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
      path: "/v1/memories",
      summary: "Current memories you may see, newest first, a page at a time",
      request: {
        query: z.object({
          space: many(z.string()),
          kind: many(z.enum(MEMORY_KINDS as [string, ...string[]])),
          author: many(z.string()),
          admission: many(z.enum(ADMISSION_STATUSES as [string, ...string[]])),
          limit: z.coerce.number().int().min(1).max(1_000).optional(),
          cursor: z.string().max(64).optional(),
        }),
      },
      responses: { 200: jsonResponse(MemoryPageSchema, "A page of current memories"), ...errorResponses(400, 401) },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const options: ListOptions = {
        spaces: listed(query.space),
        kinds: listed(query.kind) as ListOptions["kinds"],
        authors: listed(query.author),
        admission: listed(query.admission) as ListOptions["admission"],
        limit: query.limit,
        cursor: query.cursor,
      };
      const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as ListOptions;
      return c.json(await (await memoryOf(c.get("scope"))).list(defined), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v1/memories/{id}",
      summary: "Writes a new version if the memory is still at expectedVersion (compare-and-set)",
      request: { params: id, body: { content: { "application/json": { schema: UpdateSchema } }, required: true } },
      responses: { 200: jsonResponse(MemoryRecordSchema, "The new version"), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await (await memoryOf(c.get("scope"))).update(c.req.valid("param").id, c.req.valid("json") as UpdateInput), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/memories/{id}/history",
      summary: "Every version of a memory, oldest first",
      request: { params: id },
      responses: { 200: jsonResponse(z.array(MemoryRecordSchema), "Every version, oldest first"), ...errorResponses(401, 404) },
    }),
    async (c) => c.json(await (await memoryOf(c.get("scope"))).history(c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/memories/{id}",
      summary: "Forgets a memory for real: its content is purged from every version; a tombstone stays",
      request: { params: id, query: expectedVersion },
      responses: { 200: jsonResponse(ForgetResultSchema, "What was purged"), ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const { expectedVersion: version } = c.req.valid("query");
      return c.json(await (await memoryOf(c.get("scope"))).forget(c.req.valid("param").id, version === undefined ? {} : { expectedVersion: version }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/memories/{id}/links",
      summary: "Typed links from and to a memory",
      request: { params: id },
      responses: { 200: jsonResponse(z.array(MemoryLinkSchema), "Links whose both ends you may see, oldest first"), ...errorResponses(401) },
    }),
    async (c) => c.json(await (await memoryOf(c.get("scope"))).links(c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/memories/{id}/feedback",
      summary: "Whether a memory you recalled was used: teaches scored admission what is useful",
      request: { params: id, body: { content: { "application/json": { schema: z.strictObject({ used: z.boolean() }).openapi("Feedback") } }, required: true } },
      responses: { 204: { description: "Recorded" }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      await (await memoryOf(c.get("scope"))).feedback(c.req.valid("param").id, c.req.valid("json"));
      return c.body(null, 204);
    },
  );

  for (const decision of ["approve", "reject"] as const) {
    app.openapi(
      createRoute({
        method: "post",
        path: `/v1/memories/{id}/${decision}`,
        summary: `Admins: ${decision === "approve" ? "admits a held memory for every reader" : "keeps a held memory out"}`,
        request: {
          params: id,
          body: { content: { "application/json": { schema: z.strictObject({ why: z.string().max(1_000).optional(), expectedVersion: z.number().int().min(1).optional() }) } } },
        },
        responses: { 200: jsonResponse(MemoryRecordSchema, "The memory with its new admission"), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const memory = await memoryOf(c.get("scope"));
        const options = Object.fromEntries(Object.entries(c.req.valid("json") ?? {}).filter(([, value]) => value !== undefined));
        return c.json(await memory.review[decision](c.req.valid("param").id, options), 200);
      },
    );
  }

  app.openapi(
    createRoute({ method: "get", path: "/v1/stats", summary: "Counts of what you may see, and the store's details", responses: { 200: jsonResponse(MemoryStatsSchema, "The counts"), ...errorResponses(401) } }),
    async (c) => c.json(await (await memoryOf(c.get("scope"))).stats(), 200),
  );
}
