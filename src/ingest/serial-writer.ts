import type { GraphStore } from '../graph/graph-store.js';
import type { GraphBatch, UpsertReport } from '../model/graph.js';

/**
 * The one writer of an ingest process: writes to the graph one after another. Aggregators emit
 * absolute values (totals so far), so two writes racing could let an older total land last, and a
 * read-modify-write (a manifest diffed against the stored one) must not interleave with another.
 */
export class SerialWriter {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly graph: GraphStore) {}

  /** Upserts after every earlier write finished; a failed write does not block later ones. */
  write(batch: GraphBatch): Promise<UpsertReport> {
    return this.run((graph) => graph.upsert(batch));
  }

  /** Runs a read-modify-write of the graph in the same order as the writes. */
  run<T>(work: (graph: GraphStore) => Promise<T>): Promise<T> {
    const next = this.tail.then(() => work(this.graph));
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every write queued so far has finished. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
