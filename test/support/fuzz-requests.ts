// The HTTP fuzz test's request generator. Each request is a pure function of (seed, index) and the fixed
// context, so a failure replays from those two numbers. Endpoints come from the OpenAPI document: one
// added later is fuzzed without touching this file.

export type AuthRole = "none" | "garbage" | "revoked" | "other-tenant" | "reader";

export interface FuzzRequest {
  index: number;
  /** Which generator made it, for the histogram and the failure report. */
  kind: string;
  auth: AuthRole;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Send the body in two chunks (Transfer-Encoding: chunked, no Content-Length). */
  chunked?: boolean;
  /** Bytes written as they are on a fresh TCP connection: HTTP that a client library would refuse to send. */
  raw?: Buffer;
  /** MCP: sent inside a session the test opens first (and closes after), so that it reaches the tools. */
  mcpSession?: boolean;
  /** Over the body limit: the server answers 413 and closes, so the upload may fail with a reset. */
  oversized?: boolean;
}

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
}

interface OpenApiOperation {
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface FuzzEndpoint {
  method: string;
  path: string;
  parameters: { name: string; in: string; schema: JsonSchema }[];
  body: { contentTypes: string[]; schema: JsonSchema } | null;
}

export interface FuzzContext {
  seed: number;
  document: OpenApiDocument;
  endpoints: FuzzEndpoint[];
  /** The key sent for each role ("none" sends no header). */
  keys: Record<Exclude<AuthRole, "none">, string>;
  ids: readonly string[];
  spaces: readonly string[];
  principals: readonly string[];
  maxBodyBytes: number;
}

interface Random {
  next(): number;
  int(below: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

/** mulberry32: small, fast and good enough to spread requests over the cases. */
function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number): number => Math.floor(next() * below);
  return { next, int, pick: (items) => items[int(items.length)]!, chance: (probability) => next() < probability };
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const ODD_METHODS = ["TRACE", "PROPFIND", "FOO", "M-SEARCH", "PURGE"];

const NASTY_STRINGS: readonly string[] = [
  "", " ", "'; DROP TABLE memories; --", "%' OR 1=1 --", "\" OR \"\"=\"", "1); DELETE FROM api_keys; --", "' UNION SELECT secret_hash FROM api_keys --",
  "\"", "\"unterminated", "NEAR(a b", "a AND OR NOT", "*", "text:secret", "^start", "(((", "{}", "[]", "-", "-x", "a - b",
  "../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e", "%00", "a\u0000b", "\u0000", "\ud800", "\udfff\ud800x", "\u202eevil\u202c",
  "👩‍👩‍👧‍👦🏳️‍🌈", "e\u0301\u0301\u0301\u0301", "Z̷̢͇a̵l̸g̶o̴", "\ufeff", "\u2028\u2029", "𝕳𝖊𝖑𝖑𝖔", "null", "undefined", "NaN", "-0", "1e309",
  "__proto__", "constructor", "{{7*7}}", "${jndi:ldap://x/a}", "<script>alert(1)</script>", "\r\nSet-Cookie: x=1", "\t\n\r", "ǅ", "İı", "ß",
];

const SENTENCES = [
  "Caroline went to the LGBTQ support group on 7 May 2023.", "Melanie painted a sunrise over the lake last weekend.",
  "The deploy key rotates every Monday at 09:00 UTC.", "Remember that Bob prefers tea over coffee.", "What did Caroline make at the pottery class?",
  "Where does Ana live now?", "When is the next release planned?", "The build cache lives in /srv/cache",
];
const TIMES: readonly (string | number)[] = ["2024-03-01T12:00:00Z", "2023-05-08", "2023-05-08T13:56:00+02:00", 1_709_294_400_000, 0];
const ODD_TIMES: readonly (string | number)[] = [
  "1:56 pm on 8 May, 2023", "yesterday", "9999-12-31T23:59:59Z", "+275760-09-13T00:00:00.000Z", "-271821-04-20T00:00:00Z", "0000-00-00", "2024-02-30",
  "2024-03-01T25:61:00Z", -1, 8.64e15, 8.64e15 + 1, -8.64e15 - 1, 1e300, 1.5,
];
const NUMBER_LITERALS = ["1e309", "-1e309", "-0", "0.0000001", "1e21", "9007199254740993", "NaN", "Infinity", "-", "01", "0x10", "1.", "1e", "+1", "[]"];
const CONTENT_TYPES = [
  "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/json; charset=utf-16",
  "application/json;;;", "APPLICATION/JSON", "application/x-ndjson", "application/jsonl; charset=latin1", "*/*",
];
const SEGMENTS = ["v1", "mcp", "memories", "spaces", "changes", "events", "recall", "stats", "health", "openapi.json", "..", "%2e%2e", "%2E%2e%2f", ".", "%00", "%", "%ZZ", "%C0%AE", "etc", "passwd", "", ";x=1", "#frag", "?a=1", "é", "\u00ff\u0080"];

/** Endpoints and their parameters and bodies, as the OpenAPI document describes them. */
export function fuzzEndpoints(document: OpenApiDocument): FuzzEndpoint[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([method]) => METHODS.includes(method.toUpperCase()))
      .map(([method, operation]) => {
        const content = operation.requestBody?.content ?? {};
        const types = Object.keys(content);
        const json = content["application/json"]?.schema;
        return {
          method: method.toUpperCase(),
          path,
          parameters: (operation.parameters ?? []).map((parameter) => ({ name: parameter.name, in: parameter.in, schema: parameter.schema ?? {} })),
          body: types.length === 0 ? null : { contentTypes: types, schema: json ?? { type: "string" } },
        };
      }),
  );
}

/** The request number `index` of a run with `context.seed`. */
export function fuzzRequest(context: FuzzContext, index: number): FuzzRequest {
  const random = createRandom(context.seed ^ Math.imul(index + 1, 0x9e3779b1));
  const auth = random.pick<AuthRole>(["none", "garbage", "revoked", "other-tenant", "other-tenant", "other-tenant", "reader", "reader", "reader"]);
  const key = auth === "none" ? undefined : auth === "garbage" ? random.pick(garbageKeys(context)) : context.keys[auth];
  const headers: Record<string, string> = key === undefined ? {} : { authorization: headerSafe(random.chance(0.9) ? `Bearer ${key}` : `${random.pick(["bearer", "Basic", "Bearer  ", "Token"])} ${key}`) };
  const base = { index, auth, headers };
  const roll = random.next();
  if (roll < 0.012) return { ...base, kind: "raw", method: "RAW", path: "", raw: rawRequest(random, key ?? context.keys.garbage) };
  if (roll < 0.1) return { ...base, kind: "random path", method: random.pick([...METHODS, ...ODD_METHODS]), path: randomPath(random, context) };
  if (roll < 0.103) return oversized(random, context, base);
  if (roll < 0.13) return mcpRequest(random, context, base);
  const endpoint = random.pick(context.endpoints);
  const request: FuzzRequest = {
    ...base,
    kind: `${endpoint.method} ${endpoint.path}`,
    method: random.chance(0.93) ? endpoint.method : random.pick([...METHODS, ...ODD_METHODS]),
    path: endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => pathValue(random, name, context)) + queryString(random, endpoint, context),
  };
  if (endpoint.body || random.chance(0.05)) {
    const declared = endpoint.body?.contentTypes ?? [];
    const contentType = declared.length === 0 || random.chance(0.1) ? random.pick(CONTENT_TYPES) : declared.includes("application/json") && random.chance(0.6) ? "application/json" : random.pick(declared);
    const schema = endpoint.body?.schema ?? { type: "object" };
    request.body = /ndjson|jsonl/i.test(contentType) ? ndjsonBody(random, schema, context) : jsonBody(random, sample(random, schema, context, "", 0));
    if (contentType !== "" || random.chance(0.5)) request.headers["content-type"] = contentType;
    request.chunked = random.chance(0.15);
  }
  if (random.chance(0.08)) Object.assign(request.headers, oddHeaders(random));
  if ((request.body?.length ?? 0) > context.maxBodyBytes) request.oversized = true;
  return request;
}

function garbageKeys(context: FuzzContext): string[] {
  const valid = context.keys.reader;
  return ["", "mnemo", `${valid}x`, valid.slice(0, -1), valid.replace(/_[^_]+$/, `_${"a".repeat(43)}`), "mnemo_AAAAAAAAAAAA_" + "a".repeat(43), "' OR 1=1 --", "ü".repeat(300), "x".repeat(10_000)];
}

/** MCP's Streamable HTTP endpoint (not in the OpenAPI document): JSON-RPC messages, sessions real and made up. */
function mcpRequest(random: Random, context: FuzzContext, base: Pick<FuzzRequest, "index" | "auth" | "headers">): FuzzRequest {
  const method = random.pick(["initialize", "initialize", "tools/list", "tools/call", "tools/call", "resources/list", "resources/read", "resources/subscribe", "ping", "notifications/initialized", ...NASTY_STRINGS.slice(0, 4)]);
  const tool = { name: random.pick(["remember", "recall", "forget", "list_spaces", "nope"]), arguments: { text: random.pick(SENTENCES), query: random.pick(SENTENCES), id: random.pick(context.ids), space: random.pick(context.spaces) } };
  const params = method === "initialize" ? { protocolVersion: random.pick(["2025-06-18", "2024-11-05", "1999-01-01"]), capabilities: {}, clientInfo: { name: "fuzz", version: "1" } } : method === "tools/call" ? tool : { uri: random.pick(["mnemo://memories/" + random.pick(context.ids), "mnemo://spaces/default", "file:///etc/passwd"]) };
  const message = { jsonrpc: random.chance(0.9) ? "2.0" : random.pick(["1.0", 2, null]), id: random.pick([1, "a", null, 0.5, {}]), method, params };
  const headers: Record<string, string> = { ...base.headers, "content-type": "application/json", accept: random.chance(0.85) ? "application/json, text/event-stream" : random.pick(["application/json", "text/event-stream", "*/*"]) };
  if (random.chance(0.2)) headers["mcp-session-id"] = random.pick(["", "00000000-0000-0000-0000-000000000000", "' OR 1=1 --", "x".repeat(300)]);
  const verb = random.chance(0.85) ? "POST" : random.pick(["GET", "DELETE", "PUT", "HEAD"]);
  const mcpSession = method !== "initialize" && headers["mcp-session-id"] === undefined && random.chance(0.8);
  return { ...base, kind: "MCP /v1/mcp", method: verb, path: "/v1/mcp", headers, mcpSession, ...(verb === "POST" ? { body: jsonBody(random, random.chance(0.1) ? [message, message] : message) } : {}) };
}

function oversized(random: Random, context: FuzzContext, base: Pick<FuzzRequest, "index" | "auth" | "headers">): FuzzRequest {
  const size = context.maxBodyBytes + 1 + random.int(context.maxBodyBytes / 2);
  const ndjson = random.chance(0.3);
  const body = ndjson ? `${JSON.stringify({ text: "y".repeat(900) })}\n`.repeat(Math.ceil(size / 914)) : JSON.stringify({ text: "x".repeat(size) });
  const headers = { ...base.headers, "content-type": ndjson ? "application/x-ndjson" : "application/json" };
  return { ...base, kind: "over the body limit", method: "POST", path: random.pick(["/v1/events", "/v1/recall", "/v1/spaces"]), headers, body: Buffer.from(body), chunked: random.chance(0.5), oversized: true };
}

function randomPath(random: Random, context: FuzzContext): string {
  const prefix = random.pick(["/v1/", "/", "//", "/v1", "", "*", "/V1/", "/v1/./"]);
  const count = random.int(6);
  const segments = Array.from({ length: count }, () => (random.chance(0.3) ? pathValue(random, random.pick(["id", "name", "x"]), context) : random.pick(SEGMENTS)));
  if (random.chance(0.02)) segments.push("a".repeat(random.pick([300, 5_000, 20_000])));
  return pathSafe(prefix + segments.join(random.chance(0.9) ? "/" : "\\"));
}

function pathValue(random: Random, name: string, context: FuzzContext): string {
  const pool = name === "id" ? context.ids : name === "name" ? context.spaces : name === "principal" ? context.principals : SENTENCES;
  const value = random.chance(0.6) ? random.pick(pool) : random.chance(0.5) ? random.pick(NASTY_STRINGS) : random.pick(SEGMENTS);
  const raw = random.chance(0.25);
  if (random.chance(0.01)) return "b".repeat(random.pick([257, 2_000]));
  return raw ? pathSafe(value).replace(/[/?#]/g, (character) => (random.chance(0.5) ? character : encode(character))) : encode(value);
}

function queryString(random: Random, endpoint: FuzzEndpoint, context: FuzzContext): string {
  const pairs: [string, string][] = [];
  for (const parameter of endpoint.parameters.filter((entry) => entry.in === "query")) {
    if (!random.chance(0.5)) continue;
    const repeats = random.chance(0.15) ? 2 + random.int(3) : 1;
    for (let count = 0; count < repeats; count += 1) {
      const value = random.chance(0.6) ? sample(random, parameter.schema, context, parameter.name, 0) : random.pick([...NASTY_STRINGS, ...NUMBER_LITERALS]);
      pairs.push([random.chance(0.1) ? `${parameter.name}[]` : parameter.name, String(Array.isArray(value) ? value[0] : value)]);
    }
  }
  if (random.chance(0.05)) pairs.push([random.pick(["x", "", "__proto__", "a[b][c]"]), random.pick(NASTY_STRINGS)]);
  const text = pairs.map(([name, value]) => `${encode(name)}=${random.chance(0.9) ? encode(value) : pathSafe(value)}`).join("&");
  return text === "" ? (random.chance(0.05) ? random.pick(["?", "?&&=&", "?%ZZ=1", "?since=1&since=-1"]) : "") : `?${text}`;
}

/** `value` as JSON, as it is or mutated: a nasty or odd value somewhere, an extra field, deep nesting, odd numbers, broken text. */
function jsonBody(random: Random, sampled: unknown): Buffer {
  let value = sampled;
  const roll = random.next();
  if (roll < 0.4) return Buffer.from(JSON.stringify(value));
  const leaves = paths(value);
  const at = random.pick(leaves);
  if (roll < 0.55) value = setAt(value, at, random.pick(NASTY_STRINGS));
  else if (roll < 0.67) value = setAt(value, at, randomJson(random, 0));
  else if (roll < 0.72) value = setAt(value, [...at, random.pick(["extra", "__proto__", "constructor", ""])], randomJson(random, 1));
  else if (roll < 0.78) return withLiteral(value, at, deepNesting(random));
  else if (roll < 0.84) value = setAt(value, at, random.chance(0.5) ? long(random.pick(["x", "é", "👩‍👩‍👧", "\u0000"]), random.pick([4_097, 32_769, 200_000])) : Array.from({ length: random.pick([101, 1_001, 10_001]) }, () => (random.chance(0.5) ? "a" : { text: "a" })));
  else if (roll < 0.9) return withLiteral(value, at, random.pick(NUMBER_LITERALS));
  else return corruptText(random, JSON.stringify(value));
  return Buffer.from(JSON.stringify(value));
}

function long(pattern: string, length: number): string {
  return pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length);
}

function ndjsonBody(random: Random, schema: JsonSchema, context: FuzzContext): Buffer {
  const first = sample(random, schema, context, "", 0);
  const events = Array.isArray(first) ? first : [first];
  for (let count = random.int(20); count > 0; count -= 1) events.push(sample(random, schema.anyOf?.[0] ?? schema, context, "", 0));
  const lines = events.map((event) => JSON.stringify(event));
  for (let count = random.int(3); count > 0; count -= 1) {
    const line = random.pick(["{broken", "", "   ", "[1,2]", "null", "42", "\"text\"", "{\"text\":\"a\"}\r", JSON.stringify({ text: "x".repeat(40_000) }), "\ufeff{\"text\":\"bom\"}"]);
    lines.splice(random.int(lines.length + 1), 0, line);
  }
  const text = lines.join("\n") + (random.chance(0.8) ? "\n" : "");
  return random.chance(0.1) ? corruptText(random, text) : Buffer.from(text);
}

function corruptText(random: Random, text: string): Buffer {
  switch (random.int(7)) {
    case 0: return Buffer.from(text.slice(0, random.int(text.length)));
    case 1: return Buffer.from(random.pick(["{ not json", "{'text':'a'}", "{\"text\":\"a\",}", "{\"text\" \"a\"}", "undefined", "", "{\"text\":\"a\"}{\"text\":\"b\"}", "\"\\ud800\""]));
    case 2: return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    case 3: return Buffer.concat([Buffer.from(text.slice(0, 10)), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from(text.slice(10))]);
    case 4: return Buffer.from(text.replace(/"/, "\u0000\""));
    case 5: return Buffer.from(text, "utf16le");
    default: return Buffer.from(`${text}${random.pick(["]", "}", ",", "\u0000", " trailing"])}`);
  }
}

/** A value of `schema`, with field values drawn from the context's ids, spaces and principals so requests reach past validation. */
function sample(random: Random, schema: JsonSchema, context: FuzzContext, name: string, depth: number): unknown {
  if (schema.$ref) return sample(random, context.document.components?.schemas?.[schema.$ref.replace("#/components/schemas/", "")] ?? {}, context, name, depth);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return sample(random, random.pick(choices), context, name, depth);
  if (schema.enum) return random.chance(0.95) ? random.pick(schema.enum) : random.pick(NASTY_STRINGS);
  const types = Array.isArray(schema.type) ? schema.type.filter((type) => type !== "null") : [schema.type];
  const type = Array.isArray(schema.type) && random.chance(0.1) ? "null" : random.pick(types);
  if (type === "null") return null;
  if (type === "boolean") return random.chance(0.5);
  if (type === "number" || type === "integer") {
    if (/At$|^(from|to|now|asOf|valid)/.test(name)) return random.pick([...(random.chance(0.7) ? TIMES : ODD_TIMES)].filter((time) => typeof time === "number"));
    const candidates = [schema.minimum ?? 0, (schema.minimum ?? 0) + 1, 1, 2, 5, 10, 100, 2_000, 100_000, schema.maximum ?? 3];
    const number = random.pick(candidates.filter((value) => value >= (schema.minimum ?? -Infinity) && value <= (schema.maximum ?? Infinity)));
    return type === "number" && random.chance(0.3) ? number / 3 : number;
  }
  if (type === "array") {
    const length = Math.min(schema.maxItems ?? 4, (schema.minItems ?? 0) + random.int(4));
    return Array.from({ length }, () => sample(random, schema.items ?? {}, context, name.replace(/s$/, ""), depth + 1));
  }
  if (type === "object" || schema.properties) {
    const result: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      if (schema.required?.includes(key) || random.chance(0.35)) result[key] = sample(random, property, context, key, depth + 1);
    }
    if (!schema.properties && depth < 3) for (let count = random.int(3); count > 0; count -= 1) result[random.pick(["source", "tags", "priority", "__proto__", "", "ключ"])] = randomJson(random, depth + 1);
    return result;
  }
  if (type === "string" || type === undefined) return type === undefined && random.chance(0.5) ? randomJson(random, depth) : stringFor(random, name, context);
  return null;
}

function stringFor(random: Random, name: string, context: FuzzContext): string {
  if (random.chance(0.1)) return random.pick(NASTY_STRINGS);
  if (/^(space|name)$/.test(name)) return random.pick(context.spaces);
  if (/^(principal|author|speaker)$/.test(name)) return random.pick(context.principals);
  if (name === "id") return random.pick(context.ids);
  if (/At$|^(from|to|now|asOf|validFrom|validTo)$/.test(name)) return String(random.pick(random.chance(0.7) ? TIMES : ODD_TIMES));
  // Mostly fresh keys, so events get written; a few repeat, for duplicates and conflicts.
  if (name === "idempotencyKey") return random.chance(0.8) ? `key-${random.int(1e9)}` : `fuzz-${random.int(20)}`;
  if (name === "kind") return random.pick(["image", "file", "link"]);
  if (name === "sessionId") return random.pick(["s1", "s2", "D1", "conversation/42"]);
  if (name === "url") return random.pick(["https://example.com/a.png", "javascript:alert(1)", "file:///etc/passwd"]);
  return random.pick(SENTENCES);
}

function randomJson(random: Random, depth: number): unknown {
  switch (random.int(depth > 2 ? 5 : 8)) {
    case 0: return random.pick([0, -0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 5e-324]);
    case 1: return random.pick(NASTY_STRINGS);
    case 2: return random.chance(0.5);
    case 3: return null;
    case 4: return random.pick(SENTENCES);
    case 5: return Array.from({ length: random.int(4) }, () => randomJson(random, depth + 1));
    default: return Object.fromEntries(Array.from({ length: random.int(4) }, () => [random.pick(NASTY_STRINGS), randomJson(random, depth + 1)]));
  }
}

/** JSON text with `literal` (JSON.stringify could not write it: a number out of range, nesting deeper than its stack) at `path`. */
function withLiteral(value: unknown, path: Path, literal: string): Buffer {
  return Buffer.from(JSON.stringify(setAt(value, path, "\u0001LITERAL\u0001")).replace('"\\u0001LITERAL\\u0001"', () => literal));
}

function deepNesting(random: Random): string {
  const depth = random.pick([100, 1_000, 5_000, 50_000]);
  return random.chance(0.5) ? `${"[".repeat(depth)}1${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}"bottom"${"}".repeat(depth)}`;
}

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  const children = Array.isArray(value) ? value.map((item, index) => paths(item, [...prefix, index])) : value !== null && typeof value === "object" ? Object.entries(value).map(([key, item]) => paths(item, [...prefix, key])) : [];
  return [prefix, ...children.flat()];
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...Path];
  const container = (root !== null && typeof root === "object" ? root : {}) as Record<string | number, unknown>;
  Object.defineProperty(container, head, { value: setAt(container[head], rest, value), enumerable: true, writable: true, configurable: true });
  return container;
}

function oddHeaders(random: Random): Record<string, string> {
  const all: Record<string, string> = {
    "last-event-id": random.pick(["abc", "-1", "1e3", "999999999999999", "9999999999999999", "١٢٣", "", " 5", "5\u00a0", "0"]),
    accept: random.pick(["text/event-stream", "*/*;q=abc", "application/x-ndjson", "\u00ff\u00fe"]),
    host: random.pick(["", "evil.example:abc", "[::1", "a b", "ünï.example", "127.0.0.1:99999"]),
    "x-forwarded-for": "' OR 1=1 --",
    "content-encoding": random.pick(["gzip", "br", "identity, gzip"]),
    cookie: "session=../../etc/passwd",
  };
  const names = Object.keys(all);
  return Object.fromEntries(Array.from({ length: 1 + random.int(3) }, () => random.pick(names)).map((header) => [header, headerSafe(all[header]!)]));
}

function rawRequest(random: Random, key: string): Buffer {
  const auth = `Authorization: Bearer ${key}\r\n`;
  const event = '{"text":"raw"}';
  const requests = [
    `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{"text":"cut`,
    `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 5\r\n\r\n${event}`,
    `POST /v1/recall HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: ${random.pick(["-1", "abc", "5, 6", "1e3", "99999999999999999999"])}\r\n\r\n{}`,
    `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`,
    `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n${random.pick(["ZZ\r\nabc\r\n0\r\n\r\n", "5\r\n{\"tex\r\n0\r\n\r\n", "e\r\n" + event + "\r\n", "ffffffffffffffff\r\n"])}`,
    `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n`,
    "GET /v1/health HTTP/9.9\r\nHost: x\r\n\r\n",
    "GARBAGE\r\n\r\n",
    `GET /v1/memories/\u00c3\u00a9..%2F\u0000 HTTP/1.1\r\nHost: x\r\n${auth}\r\n`,
    `GET http://evil.example/v1/stats HTTP/1.1\r\nHost: x\r\n${auth}\r\n`,
    "GET /v1/health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    `GET /v1/stats HTTP/1.1\r\nHost: x\r\n${auth}X-Folded: a\r\n  b\r\nNoColonHere\r\n\r\n`,
    `GET /v1/stats HTTP/1.1\r\nHost: x\r\nX-Big: ${"h".repeat(20_000)}\r\n\r\n`,
    `GET /v1/changes?since=0 HTTP/1.1\r\nHost: x\r\n${auth}Last-Event-ID: 1\r\n\r\n`,
    `GET /v1/health HTTP/1.0\r\n\r\nGET /v1/stats HTTP/1.1\r\nHost: x\r\n${auth}\r\nGET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n`,
    `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Expect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: ${event.length}\r\n\r\n${event}`,
    `CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n`,
    `OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n`,
  ];
  return Buffer.from(random.pick(requests), "latin1");
}

/** Node's client refuses paths with characters outside U+0021..U+00FF: those are percent-encoded, the rest goes as it is. */
function pathSafe(text: string): string {
  return text.replace(/[^\u0021-\u00ff]/gu, encode);
}

/** encodeURIComponent, except that a lone surrogate becomes the (invalid) UTF-8 bytes it would have, instead of throwing. */
function encode(text: string): string {
  return text.replace(/[\s\S]/gu, (character) => (/^[\ud800-\udfff]$/.test(character) ? `%ED%${(0x80 | ((character.charCodeAt(0) >> 6) & 0x3f)).toString(16).toUpperCase()}%80` : encodeURIComponent(character)));
}

function headerSafe(text: string): string {
  return text.replace(/[^\t\u0020-\u007e\u0080-\u00ff]/g, "?");
}
