import { createRoute, z } from "@hono/zod-openapi";
import { JOB_STATUSES, type JobStatus } from "../../domain/types.js";
import { errorResponses, jsonResponse, listed, many, type HttpRouter, type MemoryOf } from "./http-env.js";
import { JobRecordSchema, JobReplayResultSchema, JobRunSummarySchema } from "./response-schemas.js";

const ReplaySchema = z
  .strictObject({ ids: z.array(z.number().int().min(1)).min(1).max(10_000).optional().openapi({ description: "The dead jobs to replay; leave out to replay every dead job" }) })
  .openapi("JobReplay");

/** The background jobs that extract memories from ingested events: list them, run them now, replay dead ones. */
export function registerJobRoutes(app: HttpRouter, memoryOf: MemoryOf): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/jobs",
      summary: "Your jobs, newest first; dead ones carry their error and the model's last reply",
      request: {
        query: z.object({
          status: many(z.enum(JOB_STATUSES as [string, ...string[]])),
          limit: z.coerce.number().int().min(1).max(10_000).optional(),
          before: z.coerce.number().int().min(1).optional().openapi({ description: "Only jobs older than this id: the next page" }),
        }),
      },
      responses: { 200: jsonResponse(z.array(JobRecordSchema), "Jobs, newest first"), ...errorResponses(400, 401) },
    }),
    async (c) => {
      const { status, limit, before } = c.req.valid("query");
      const options = { status: listed(status) as JobStatus[] | undefined, limit, before };
      const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
      return c.json(await (await memoryOf(c.get("scope"))).jobs.list(defined), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/jobs/run",
      summary: "Runs every job that is ready now and answers when none is left (jobs waiting for a retry stay waiting)",
      responses: { 200: jsonResponse(JobRunSummarySchema, "What the run did"), ...errorResponses(401) },
    }),
    async (c) => c.json(await (await memoryOf(c.get("scope"))).jobs.run(), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/jobs/replay",
      summary: "Puts dead jobs back in the queue with fresh attempts",
      request: { body: { content: { "application/json": { schema: ReplaySchema } }, required: false } },
      responses: { 200: jsonResponse(JobReplayResultSchema, "How many dead jobs are queued again"), ...errorResponses(400, 401) },
    }),
    async (c) => {
      const { ids } = c.req.valid("json");
      return c.json({ replayed: await (await memoryOf(c.get("scope"))).jobs.replay(ids) }, 200);
    },
  );
}
