import assert from "node:assert/strict";

/**
 * Fails unless `schema` is valid for OpenAI's strict structured outputs: every object lists all its
 * properties in `required` and sets `additionalProperties: false` (optional values are nullable instead).
 */
export function assertStrictSchema(schema: unknown, path = "schema"): void {
  if (typeof schema !== "object" || schema === null) return;
  if (Array.isArray(schema)) {
    schema.forEach((item, index) => assertStrictSchema(item, `${path}[${index}]`));
    return;
  }
  const node = schema as Record<string, unknown>;
  if (node["type"] === "object") {
    const properties = Object.keys((node["properties"] ?? {}) as object);
    assert.deepEqual([...((node["required"] ?? []) as string[])].sort(), [...properties].sort(), `${path}: every property must be required`);
    assert.equal(node["additionalProperties"], false, `${path}: additionalProperties must be false`);
  }
  for (const [key, value] of Object.entries(node)) assertStrictSchema(value, `${path}.${key}`);
}
