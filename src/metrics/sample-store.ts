/**
 * Where the metric buffer keeps its samples across restarts: one LMDB record per sample, keyed by
 * series and time, written as samples arrive and removed as the ring drops them, so the store holds
 * exactly what the buffer holds. Writes commit with the intake journal's (same LMDB environment), in order.
 */
import type { Database } from 'lmdb';

export type SampleKey = [string, string, number];

export class SampleStore {
  constructor(private readonly db: Database<number, SampleKey>) {}

  put(entity: string, metric: string, t: number, v: number): void {
    void this.db.put([entity, metric, t], v);
  }

  remove(entity: string, metric: string, t: number): void {
    void this.db.remove([entity, metric, t]);
  }

  /** Every stored sample, series by series in time order. */
  *all(): Iterable<{ entity: string; metric: string; t: number; v: number }> {
    for (const { key, value } of this.db.getRange()) {
      const [entity, metric, t] = key;
      yield { entity, metric, t, v: value };
    }
  }
}
