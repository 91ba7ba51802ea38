import { MemoryError } from "../domain/memory-error.js";
import type { EventInput, IngestedEvent, IngestResult } from "../domain/types.js";
import { validateEvent } from "../domain/validate-event.js";
import type { Engine } from "../engine.js";

export interface IngestOptions {
  /**
   * Called with each batch of events once it is durable and recallable, in input order; the next batch
   * waits for a returned promise (so a slow consumer slows the stream down instead of piling up acks).
   * With a stream and this callback, the result's `events` stays empty: the acks went here.
   */
  onIngested?: (events: IngestedEvent[]) => void | Promise<void>;
}

/** Writes a batch of valid events in one transaction (ingestEvents, with embedding and the job kick). */
export type WriteBatch = (events: EventInput[]) => Promise<IngestResult>;

/** Most events gathered into one transaction, and most read ahead of the writer. */
const MAX_BATCH = 500;

/**
 * Ingests events as a source yields them. Whatever arrived while the previous batch was being written
 * goes into the next transaction, so a slow source gets each event written on its own at once, and a
 * fast one gets group commits. Each event is validated as it arrives. On a bad event or a failing source,
 * everything that arrived before it is still written, and then the error is thrown; the acknowledged
 * events are durable whatever happens after.
 */
export async function ingestStream(engine: Engine, source: AsyncIterable<unknown> | Iterable<unknown>, write: WriteBatch, options: IngestOptions): Promise<IngestResult> {
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : toAsync(source[Symbol.iterator]());
  const maxBatch = Math.min(MAX_BATCH, engine.limits.maxEventsPerIngest);
  const buffer: EventInput[] = [];
  let written = 0; // stream position of buffer[0]
  let ended = false;
  let stopped = false;
  let failure: { error: unknown } | null = null;
  let signal: (() => void) | null = null;
  const notify = (): void => {
    signal?.();
    signal = null;
  };
  const wait = (): Promise<void> => new Promise((resolve) => (signal = resolve));

  const reading = (async () => {
    try {
      for (let position = 0; !stopped; position++) {
        while (buffer.length >= maxBatch && !stopped) await wait();
        const next = await iterator.next();
        if (next.done || stopped) break;
        validateEvent(next.value, `events[${position}]`, engine.limits, engine.defaultSpace);
        buffer.push(next.value as EventInput);
        notify();
      }
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      notify();
    }
  })();

  const acked: IngestedEvent[] = [];
  const totals = { inserted: 0, duplicates: 0, embedded: 0, embeddingError: null as string | null, embedding: false };
  const acknowledge = async (result: IngestResult): Promise<void> => {
    written += result.events.length;
    totals.inserted += result.inserted;
    totals.duplicates += result.duplicates;
    if (result.embedding) {
      totals.embedding = true;
      totals.embedded += result.embedding.embedded;
      totals.embeddingError = result.embedding.error ?? totals.embeddingError;
    }
    if (options.onIngested) await options.onIngested(result.events);
    else acked.push(...result.events);
  };
  try {
    for (;;) {
      if (buffer.length === 0) {
        if (ended) break;
        await wait();
        continue;
      }
      const batch = buffer.splice(0, maxBatch);
      notify(); // room again for the reader
      await writeInOrder(batch, write, acknowledge, () => written);
    }
  } catch (error) {
    stopped = true;
    notify();
    void Promise.resolve(iterator.return?.()).catch(() => {}); // the source may be stuck in next(): don't wait for it
    throw error;
  }
  await reading;
  if (failure) throw (failure as { error: unknown }).error;
  return {
    events: acked,
    inserted: totals.inserted,
    duplicates: totals.duplicates,
    ...(totals.embedding ? { embedding: { embedded: totals.embedded, error: totals.embeddingError } } : {}),
  };
}

/**
 * Writes a batch; if the store refuses it (a space that does not exist, a role that may not write),
 * writes its events one by one so that those before the refused one are kept, and names it.
 */
async function writeInOrder(batch: EventInput[], write: WriteBatch, acknowledge: (result: IngestResult) => Promise<void>, position: () => number): Promise<void> {
  try {
    await acknowledge(await write(batch));
    return;
  } catch (error) {
    if (batch.length === 1) throw atPosition(error, position());
  }
  for (const event of batch) {
    let result: IngestResult;
    try {
      result = await write([event]);
    } catch (error) {
      throw atPosition(error, position());
    }
    await acknowledge(result);
  }
}

function atPosition(error: unknown, index: number): unknown {
  if (!(error instanceof MemoryError)) return error;
  return new MemoryError(error.code, `events[${index}]: ${error.message} Events before it were stored.`, {
    details: { ...error.details, index, stored: index },
    cause: error,
  });
}

async function* toAsync<T>(iterator: Iterator<T>): AsyncGenerator<T> {
  for (let next = iterator.next(); !next.done; next = iterator.next()) yield next.value;
}
