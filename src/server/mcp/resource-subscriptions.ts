import type { ChangeEvent } from "../../domain/types.js";
import type { Memory } from "../../memory.js";
import type { Subscription } from "../../share/subscribe-changes.js";
import type { UnexpectedErrorHandler } from "./mcp-errors.js";
import { targetKey, type ResourceTarget } from "./resource-uris.js";

/** The resource URIs one client subscribed to, and the change feed that tells it when they change. */
export interface ResourceSubscriptions {
  add(uri: string, target: ResourceTarget): void;
  remove(uri: string): void;
  /** Ends the feed: the session is over. Safe to call twice. */
  close(): void;
}

/**
 * Follows the principal's change feed while at least one URI is subscribed, and calls `notify` with each
 * subscribed URI a change touches: a memory's own, and its space's (a space resource lists its newest
 * memories). The feed carries only what the principal may see, so nothing leaks through it.
 */
export function createResourceSubscriptions(memory: Memory, notify: (uri: string) => Promise<void>, onUnexpected: UnexpectedErrorHandler): ResourceSubscriptions {
  const urisByKey = new Map<string, Set<string>>();
  const keyByUri = new Map<string, string>();
  let feed: Subscription | null = null;
  let closed = false;

  const follow = async (subscription: Subscription): Promise<void> => {
    try {
      for await (const change of subscription) {
        for (const key of touchedKeys(change)) {
          for (const uri of [...(urisByKey.get(key) ?? [])]) {
            // A client gone mid-notification is the session closing: close() ends this feed next.
            await notify(uri).catch(() => {});
          }
        }
      }
    } catch (error) {
      // The store failed: the next subscribe starts a fresh feed.
      if (feed === subscription) feed = null;
      onUnexpected(error);
    }
  };

  const stop = (): void => {
    feed?.close();
    feed = null;
  };

  return {
    add: (uri, target) => {
      if (closed) return;
      const key = targetKey(target);
      keyByUri.set(uri, key);
      let uris = urisByKey.get(key);
      if (!uris) urisByKey.set(key, (uris = new Set()));
      uris.add(uri);
      if (!feed) {
        // Subscribed now, so a change committed once the client has its answer is delivered.
        feed = memory.subscribe();
        void follow(feed);
      }
    },
    remove: (uri) => {
      const key = keyByUri.get(uri);
      if (key === undefined) return;
      keyByUri.delete(uri);
      const uris = urisByKey.get(key);
      uris?.delete(uri);
      if (uris?.size === 0) urisByKey.delete(key);
      if (keyByUri.size === 0) stop();
    },
    close: () => {
      closed = true;
      urisByKey.clear();
      keyByUri.clear();
      stop();
    },
  };
}

function touchedKeys(change: ChangeEvent): string[] {
  const space = targetKey({ type: "space", name: change.space });
  return change.memoryId === null ? [space] : [targetKey({ type: "memory", id: change.memoryId }), space];
}
