import { z } from "@hono/zod-openapi";

/** Same fields, each assignable both ways: one level deep, since nested types are checked by their own schemas. */
type SameFields<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;

/**
 * Types a response schema as the library type it documents, and compiles only when the two have the
 * same fields: a field added to src/domain/types.ts fails the typecheck until the OpenAPI document
 * has it too. The runtime half of the check is test/http-response-schemas.test.ts.
 */
export function exactSchema<T>(): <S extends z.ZodType>(schema: S & (SameFields<z.output<S>, T> extends true ? unknown : "has other fields than the type")) => z.ZodType<T> {
  return (schema) => schema as unknown as z.ZodType<T>;
}

/**
 * A time as the store writes it (Date#toISOString, UTC). The engine takes times up to ±8.64e15 ms, whose
 * years take six digits and a sign: RFC 3339 has no room for them, so the schema has a pattern and no
 * `format: date-time`, which would make validators and generated clients refuse such a value.
 */
export const storedTime: z.ZodString = z
  .string()
  .regex(/^(?:\d{4}|[+-]\d{6})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  .openapi({ description: "ISO 8601 in UTC, as Date#toISOString writes it (years past 9999 take six digits and a sign)" });
