import { invalidInput } from "../domain/memory-error.js";
import type { ChangeEvent, SubscribeOptions } from "../domain/types.js";
import { isPlainObject, rejectUnknownFields, requireInteger } from "../domain/validate.js";
import type { Engine } from "../engine.js";
import { validateKinds, validateNames } from "../recall/validate-recall-options.js";
import type { ChangeQuery } from "../store/store.js";

/** Changes read from the store at a time; the next page is read only when the consumer has taken these. */
const PAGE_SIZE = 256;

/**
 * A live, ordered feed of the changes a principal may see. Iterate it with `for await`; it never ends by
 * itself. Changes are read from the store as the consumer asks for them, so a slow consumer holds up
 * no writer and misses nothing: resume later with `since: subscription.cursor`.
 */
export interface Subscription extends AsyncIterable<ChangeEvent> {
  /**
   * The sequence number of the last change delivered, or the starting point (known a moment after
   * subscribe() returns, when no `since` was given): resume after it.
   */
  readonly cursor: number;
  /** Ends the feed: a pending `next()` resolves as done. Safe to call twice. */
  close(): void;
}

export function subscribeChanges(engine: Engine, options: SubscribeOptions = {}, onClose: () => void = () => {}): Subscription {
  const query = validateSubscribeOptions(options);
  const buffer: ChangeEvent[] = [];
  // "Now" is where the feed stands when subscribe() is called (the SQLite store reads it at once), not
  // when the consumer first asks: a change committed in between is delivered.
  const start = query.since !== null ? Promise.resolve(query.since) : engine.store.changesSince(engine.scope, { after: 0, limit: 0 }).then((page) => page.cursor);
  let readTo: number | null = null;
  let cursor = query.since ?? 0;
  // The starting point is the cursor as soon as it is known, so a consumer that stops before its first
  // change can still resume from there. A failure is surfaced by the first next().
  start.then((at) => readTo === null && (cursor = at)).catch(() => {});
  let closed = false;
  // Set by every notice of a commit; cleared when a read starts, so a commit during a read is not lost.
  let stale = true;
  let wake: (() => void) | null = null;
  const stopWatching = engine.store.watchChanges(engine.scope.tenantId, () => {
    stale = true;
    wake?.();
  });

  const fill = async (): Promise<void> => {
    if (readTo === null) {
      readTo = await start;
      cursor = readTo;
    }
    while (buffer.length === 0 && !closed) {
      if (!stale) {
        // A consumer waiting for the next change keeps the process alive, as a pending socket read
        // does: the store's polling timer does not.
        const keepAlive = setInterval(() => {}, 1 << 30);
        await new Promise<void>((resolve) => (wake = resolve));
        clearInterval(keepAlive);
        wake = null;
        continue;
      }
      stale = false;
      const page: ChangeQuery = { after: readTo, limit: PAGE_SIZE, spaces: query.spaces, kinds: query.kinds };
      const { changes, cursor: next } = await engine.store.changesSince(engine.scope, page);
      readTo = next;
      buffer.push(...changes);
      // A full page may have more behind it.
      if (changes.length === PAGE_SIZE) stale = true;
    }
  };

  const close = (): void => {
    if (closed) return;
    closed = true;
    stopWatching();
    wake?.();
    onClose();
  };

  return {
    get cursor() {
      return cursor;
    },
    close,
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<ChangeEvent>> => {
        await fill();
        const change = buffer.shift();
        if (closed || change === undefined) return { done: true, value: undefined };
        cursor = change.seq;
        return { done: false, value: change };
      },
      return: async (): Promise<IteratorResult<ChangeEvent>> => {
        close();
        return { done: true, value: undefined };
      },
    }),
  };
}

function validateSubscribeOptions(options: unknown): { spaces?: string[]; kinds?: ChangeQuery["kinds"]; since: number | null } {
  if (!isPlainObject(options)) throw invalidInput("options", "must be an object { spaces?, kinds?, since? }.");
  rejectUnknownFields(options, ["spaces", "kinds", "since"], "options");
  return {
    spaces: options["spaces"] === undefined ? undefined : validateNames(options["spaces"], "options.spaces"),
    kinds: options["kinds"] === undefined ? undefined : validateKinds(options["kinds"], "options.kinds"),
    since: options["since"] === undefined ? null : requireInteger(options["since"], "options.since", { min: 0, max: Number.MAX_SAFE_INTEGER }),
  };
}
