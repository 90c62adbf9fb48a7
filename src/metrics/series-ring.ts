/**
 * One metric series as a fixed-capacity ring of (unix seconds, value) in time order. Appending a
 * sample with a timestamp already held overwrites it (so a replay is harmless); a sample older than
 * everything held, or falling between held samples, is dropped as late.
 */
export class SeriesRing {
  private ts: Float64Array;
  private vs: Float64Array;
  private start = 0;
  size = 0;

  /** Storage starts small and doubles up to `capacity`, so a series with few samples costs little. */
  constructor(readonly capacity: number) {
    const initial = Math.min(capacity, 16);
    this.ts = new Float64Array(initial);
    this.vs = new Float64Array(initial);
  }

  private at(i: number): number {
    return (this.start + i) % this.ts.length;
  }

  private grow(): void {
    const n = Math.min(this.capacity, this.ts.length * 2);
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    for (let i = 0; i < this.size; i++) {
      ts[i] = this.ts[this.at(i)];
      vs[i] = this.vs[this.at(i)];
    }
    this.ts = ts;
    this.vs = vs;
    this.start = 0;
  }

  /** Index of the first held sample with timestamp ≥ t (size when none). */
  private lowerBound(t: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ts[this.at(mid)] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The timestamp of the oldest held sample (undefined when empty). */
  oldest(): number | undefined {
    return this.size > 0 ? this.ts[this.at(0)] : undefined;
  }

  /** Adds a sample; returns 'added', 'replaced' or 'late'. */
  push(t: number, v: number): 'added' | 'replaced' | 'late' {
    const i = this.lowerBound(t);
    if (i < this.size && this.ts[this.at(i)] === t) {
      this.vs[this.at(i)] = v;
      return 'replaced';
    }
    if (i < this.size) return 'late';
    if (this.size === this.ts.length && this.size < this.capacity) this.grow();
    if (this.size === this.capacity)
      this.start = (this.start + 1) % this.capacity; // overwrite the oldest
    else this.size++;
    const p = this.at(this.size - 1);
    this.ts[p] = t;
    this.vs[p] = v;
    return 'added';
  }

  /**
   * Values on the grid from, from+step, …, ≤ to: at each point the latest sample in (t − step, t],
   * NaN when there is none (the buffer does not interpolate).
   */
  align(from: number, to: number, step: number): { timestamps: Float64Array; values: Float64Array } {
    const n = to >= from ? Math.floor((to - from) / step) + 1 : 0;
    const timestamps = new Float64Array(n);
    const values = new Float64Array(n).fill(Number.NaN);
    let j = this.lowerBound(from - step);
    for (let k = 0; k < n; k++) {
      const t = from + k * step;
      timestamps[k] = t;
      while (j < this.size && this.ts[this.at(j)] <= t) {
        if (this.ts[this.at(j)] > t - step) values[k] = this.vs[this.at(j)];
        j++;
      }
    }
    return { timestamps, values };
  }
}
