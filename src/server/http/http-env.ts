import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Memory } from "../../memory.js";
import type { StoreScope } from "../../store/store.js";

/** What each request carries once authenticated: the key's tenant and principal. */
export type HttpEnv = { Variables: { scope: StoreScope } };
export type HttpRouter = OpenAPIHono<HttpEnv>;
/** The principal's Memory, opened on first use and kept. */
export type MemoryOf = (scope: StoreScope) => Promise<Memory>;

/** A point in time in a request: ISO 8601 or epoch milliseconds (the engine parses and checks it). */
export const time: z.ZodType<string | number> = z
  .union([z.string(), z.number()])
  .openapi({ description: "ISO 8601 (UTC when no zone is given) or epoch milliseconds" });

/** A query parameter that may be repeated (?kind=fact&kind=event). */
export function many<T extends z.ZodType>(item: T): z.ZodOptional<z.ZodUnion<readonly [T, z.ZodArray<T>]>> {
  return z.union([item, z.array(item)]).optional();
}

/** A repeatable query parameter as a list. */
export function listed<T>(value: T | T[] | undefined): T[] | undefined {
  return value === undefined ? undefined : ([value].flat() as T[]);
}

/**
 * The error responses of an endpoint, as the OpenAPI document lists them (the Error schema is registered
 * once). Every endpoint behind a key may also answer 429, with Retry-After.
 */
export function errorResponses(...statuses: number[]): Record<number, { content: { "application/json": { schema: { $ref: string } } }; description: string }> {
  return Object.fromEntries(
    [...statuses, 429].map((status) => [status, { content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } }, description: "{ error: { code, message, details } }" }]),
  );
}

/** A JSON response with its schema (response-schemas.ts), which the document names as a component. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string): { content: { "application/json": { schema: T } }; description: string } {
  return { content: { "application/json": { schema } }, description };
}

/** A `$ref` to a schema of the document's components. */
export function componentRef(name: string): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * A streamed response: the body is a string to OpenAPI 3.1, which cannot describe a stream's items. Each
 * item's schema is given in OpenAPI 3.2's form (`itemSchema`) under the extension `x-itemSchema`, which
 * 3.1 allows; the route registers the components it refers to, since no zod schema leads to them.
 */
export function streamResponse(
  mediaType: string,
  description: string,
  itemSchema: Record<string, unknown>,
): { content: Record<string, { schema: z.ZodString; "x-itemSchema": Record<string, unknown> }>; description: string } {
  return { content: { [mediaType]: { schema: z.string().openapi({ description }), "x-itemSchema": itemSchema } }, description };
}
