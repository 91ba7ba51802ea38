/** A memory's resource: its current version, as JSON. */
export const MEMORY_URI_TEMPLATE = "mnemo://memories/{id}";
/** A space's resource: its details and newest memories, as JSON. */
export const SPACE_URI_TEMPLATE = "mnemo://spaces/{name}";

/** What a resource URI of this server names. */
export type ResourceTarget = { type: "memory"; id: string } | { type: "space"; name: string };

const RESOURCE_URI = /^mnemo:\/\/(memories|spaces)\/([^/?#]+)$/;

// Space names may hold "/", ":" and "@": every name is percent-encoded so that it stays one path segment.
export function memoryUri(id: string): string {
  return `mnemo://memories/${encodeURIComponent(id)}`;
}

export function spaceUri(name: string): string {
  return `mnemo://spaces/${encodeURIComponent(name)}`;
}

/** The memory or space a URI names, or null when it is not one of this server's resource URIs. */
export function parseResourceUri(uri: string): ResourceTarget | null {
  const match = RESOURCE_URI.exec(uri);
  if (!match) return null;
  const [, collection, encoded] = match as unknown as [string, string, string];
  let value: string;
  try {
    value = decodeURIComponent(encoded);
  } catch {
    return null;
  }
  return collection === "memories" ? { type: "memory", id: value } : { type: "space", name: value };
}

/** A key per target, equal for every spelling of its URI. */
export function targetKey(target: ResourceTarget): string {
  return target.type === "memory" ? `memory\u0000${target.id}` : `space\u0000${target.name}`;
}
