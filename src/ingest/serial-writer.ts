import type { GraphStore } from '../graph/graph-store.js';
import type { GraphBatch, UpsertReport } from '../model/graph.js';

/**
 * Writes batches to the graph one after another. Aggregators emit absolute values (totals so far),
 * so two writes racing could let an older total land last; a queue keeps them in order.
 */
export class SerialWriter {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly graph: GraphStore) {}

  /** Upserts after every earlier write finished; a failed write does not block later ones. */
  write(batch: GraphBatch): Promise<UpsertReport> {
    const next = this.tail.then(() => this.graph.upsert(batch));
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every write queued so far has finished. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
