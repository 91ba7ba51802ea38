import assert from "node:assert/strict";
import { z } from "zod";
import { responseSchema } from "../../src/server/http/response-schemas.js";

/** The parts of an OpenAPI document that say what a response holds. */
export interface JsonSchemaNode {
  $ref?: string;
  type?: string | string[];
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  properties?: Record<string, JsonSchemaNode & { contentSchema?: JsonSchemaNode }>;
}
interface MediaType {
  schema?: JsonSchemaNode;
  "x-itemSchema"?: JsonSchemaNode;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, MediaType> }> }>>;
}

/**
 * Checks response bodies against the zod schemas the document was made from, found through the
 * document itself: the `$ref` of the operation's response names the schema (`responseSchema`), so a
 * route documented with the wrong schema fails as surely as a body that breaks its schema.
 */
export class DocumentedResponses {
  /** "get /v1/memories/{id} 200" for each response checked. */
  readonly checked: Set<string> = new Set();

  constructor(readonly document: OpenApiDocument) {}

  /** The zod schema of a documented schema; throws for one that names no response schema, e.g. `{}`. */
  static schemaOf(node: JsonSchemaNode | undefined): z.ZodType {
    if (node?.$ref) return responseSchema(node.$ref.replace("#/components/schemas/", ""));
    if (node?.type === "array" && node.items) return z.array(DocumentedResponses.schemaOf(node.items));
    if (node?.anyOf) return z.union(node.anyOf.map((branch) => DocumentedResponses.schemaOf(branch)));
    // A server-sent event, as OpenAPI 3.2 describes one: its data is JSON of the schema named.
    const data = node?.properties?.["data"]?.contentSchema;
    if (data) return DocumentedResponses.schemaOf(data);
    throw new Error(`not a typed response schema: ${JSON.stringify(node)}`);
  }

  /** The media type documented for a response of `method url` with `status`, and the path template it matched. */
  mediaType(method: string, url: string, status: number, contentType: string): { operation: string; media: MediaType } {
    const path = new URL(url, "http://x").pathname;
    const template = Object.keys(this.document.paths).find((candidate) => new RegExp(`^${candidate.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path));
    assert.ok(template, `${path} is not in the document`);
    const response = this.document.paths[template]?.[method.toLowerCase()]?.responses[String(status)];
    assert.ok(response, `${method} ${template} answered ${status}, which the document does not list`);
    const media = response.content?.[contentType];
    assert.ok(media, `${method} ${template} ${status}: ${contentType} is not documented`);
    return { operation: `${method.toLowerCase()} ${template} ${status}`, media };
  }

  /** Fails with the path of each mismatch between `value` and the documented schema. */
  check(method: string, url: string, status: number, contentType: string, value: unknown): void {
    const { operation, media } = this.mediaType(method, url, status, contentType);
    const schema = DocumentedResponses.schemaOf(media["x-itemSchema"] ?? media.schema);
    const result = schema.safeParse(value);
    if (!result.success) {
      const issues = explain(result.error.issues).map((issue) => `${issue.path || "(the body)"}: ${issue.message}`);
      assert.fail(`${operation} does not match its documented schema:\n  ${issues.join("\n  ")}\nbody: ${JSON.stringify(value).slice(0, 2_000)}`);
    }
    this.checked.add(operation);
  }
}

/** Issues with their paths; a union (such as `MemoryOrigin | null`) reports the branch of the value's own type. */
function explain(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): { path: string; message: string }[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const fitting = issue.errors.find((branch) => !branch.some((inner) => inner.code === "invalid_type" && inner.path.length === 0)) ?? issue.errors[0]!;
      return explain(fitting, path);
    }
    return [{ path: path.map(String).join("."), message: issue.message }];
  });
}
