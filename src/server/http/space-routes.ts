import { createRoute, z } from "@hono/zod-openapi";
import { ADMISSION_MODES, SPACE_ROLES, SPACE_TYPES, type CreateSpaceOptions, type SpaceRole } from "../../domain/spaces.js";
import { errorResponses, jsonResponse, type HttpRouter, type MemoryOf } from "./http-env.js";
import { SpaceDetailsSchema, SpaceRecordSchema } from "./response-schemas.js";

const role = z.enum(SPACE_ROLES as [string, ...string[]]);
const policy = z.strictObject({ mode: z.enum(ADMISSION_MODES as [string, ...string[]]), threshold: z.number().min(0).max(1).optional() }).openapi("AdmissionPolicy");
const name = z.object({ name: z.string().max(128) });

const NewSpaceSchema = z
  .strictObject({
    name: z.string().max(128),
    type: z.enum(SPACE_TYPES as [string, ...string[]]).optional(),
    members: z.array(z.strictObject({ principal: z.string().max(128), role })).max(1_000).optional(),
    everyone: z.enum(["read", "write"]).optional(),
    admission: policy.optional(),
  })
  .openapi("NewSpace");

/** Spaces, their members and admission policies; the store checks who may do what. */
export function registerSpaceRoutes(app: HttpRouter, memoryOf: MemoryOf): void {
  app.openapi(
    createRoute({ method: "get", path: "/v1/spaces", summary: "The spaces you may read, each with your role", responses: { 200: jsonResponse(z.array(SpaceRecordSchema), "The spaces, each with your role"), ...errorResponses(401) } }),
    async (c) => c.json(await (await memoryOf(c.get("scope"))).spaces.list(), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/spaces",
      summary: "Creates a space with you as an admin (an existing one you may read comes back unchanged)",
      request: { body: { content: { "application/json": { schema: NewSpaceSchema } }, required: true } },
      responses: { 200: jsonResponse(SpaceRecordSchema, "The space"), ...errorResponses(400, 401, 409) },
    }),
    async (c) => {
      const { name: spaceName, ...options } = c.req.valid("json");
      return c.json(await (await memoryOf(c.get("scope"))).spaces.create(spaceName, options as CreateSpaceOptions), 200);
    },
  );

  app.openapi(
    createRoute({ method: "get", path: "/v1/spaces/{name}", summary: "A space with its members", request: { params: name }, responses: { 200: jsonResponse(SpaceDetailsSchema, "The space with its members"), ...errorResponses(401, 404) } }),
    async (c) => c.json(await (await memoryOf(c.get("scope"))).spaces.get(c.req.valid("param").name), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/v1/spaces/{name}/members/{principal}",
      summary: "Admins: gives a principal a role in the space",
      request: { params: name.extend({ principal: z.string().max(128) }), body: { content: { "application/json": { schema: z.strictObject({ role }) } }, required: true } },
      responses: { 200: jsonResponse(SpaceDetailsSchema, "The space with its members"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { name: spaceName, principal } = c.req.valid("param");
      return c.json(await (await memoryOf(c.get("scope"))).spaces.setMember(spaceName, principal, c.req.valid("json").role as SpaceRole), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/spaces/{name}/members/{principal}",
      summary: "Admins: removes a principal from the space",
      request: { params: name.extend({ principal: z.string().max(128) }) },
      responses: { 200: jsonResponse(SpaceDetailsSchema, "The space with its members"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { name: spaceName, principal } = c.req.valid("param");
      return c.json(await (await memoryOf(c.get("scope"))).spaces.setMember(spaceName, principal, null), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/v1/spaces/{name}/admission",
      summary: "Admins: how writes from non-admins enter the space from now on",
      request: { params: name, body: { content: { "application/json": { schema: policy } }, required: true } },
      responses: { 200: jsonResponse(SpaceDetailsSchema, "The space with its members"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const admission = { mode: body.mode as (typeof ADMISSION_MODES)[number], ...(body.threshold === undefined ? {} : { threshold: body.threshold }) };
      return c.json(await (await memoryOf(c.get("scope"))).spaces.setAdmission(c.req.valid("param").name, admission), 200);
    },
  );
}
