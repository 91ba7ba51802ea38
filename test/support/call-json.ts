/** A reply of the HTTP API, its body parsed. */
export interface JsonReply<T> {
  status: number;
  body: T;
}

/**
 * `method path` against a server under test, with the API key as a Bearer token (none when null) and the
 * body as JSON (or `raw` as is); the reply's body parsed as JSON.
 */
export async function callJson<T>(base: string, method: string, path: string, key: string | null, body?: unknown, raw?: string): Promise<JsonReply<T>> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined || raw !== undefined ? { "content-type": "application/json" } : {}) },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  return { status: response.status, body: (await response.json()) as T };
}
