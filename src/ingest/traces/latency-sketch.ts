/**
 * A mergeable latency sketch with relative-error quantiles, after DDSketch (Masson, Rim, Lee,
 * "DDSketch: A Fast and Fully-Mergeable Quantile Sketch with Relative-Error Guarantees", VLDB 2019):
 * value x > 0 goes to bucket ceil(log_γ x) with γ = (1+α)/(1−α); a quantile read from a bucket is
 * within α of the true value. Merging adds bucket counts, so windows and workers combine exactly.
 * Stored in the graph as a compact string (`zero|key:count,…`), since properties are flat.
 */

export const DEFAULTS = {
  /** Relative accuracy α of every quantile. */
  relativeAccuracy: 0.02,
  /** Values at or below this (ms) count in the zero bucket. */
  minValue: 1e-3,
};

const GAMMA = (1 + DEFAULTS.relativeAccuracy) / (1 - DEFAULTS.relativeAccuracy);
const LOG_GAMMA = Math.log(GAMMA);

export class LatencySketch {
  private readonly buckets = new Map<number, number>();
  /** Bucket keys ascending; null after a key was added or removed (counts change far more often than keys). */
  private sorted: Float64Array | null = null;
  private zero = 0;
  count = 0;

  /** Adds one value (ms); negative and NaN values are ignored. */
  add(ms: number, times = 1): void {
    if (!(ms >= 0) || times <= 0) return;
    this.count += times;
    if (ms <= DEFAULTS.minValue) {
      this.zero += times;
      return;
    }
    const k = Math.ceil(Math.log(ms) / LOG_GAMMA);
    this.bump(k, times);
  }

  private bump(k: number, times: number): void {
    const c = this.buckets.get(k);
    if (c === undefined) this.sorted = null;
    this.buckets.set(k, (c ?? 0) + times);
  }

  private keys(): Float64Array {
    this.sorted ??= Float64Array.from(this.buckets.keys()).sort();
    return this.sorted;
  }

  /** Adds another sketch's counts into this one. */
  merge(other: LatencySketch): this {
    this.zero += other.zero;
    this.count += other.count;
    for (const [k, c] of other.buckets) this.bump(k, c);
    return this;
  }

  /** Removes counts that were merged or added before (a window leaving a running total); exact. */
  subtract(other: LatencySketch): this {
    this.zero -= other.zero;
    this.count -= other.count;
    for (const [k, c] of other.buckets) {
      const left = (this.buckets.get(k) ?? 0) - c;
      if (left > 0) this.buckets.set(k, left);
      else {
        this.buckets.delete(k);
        this.sorted = null;
      }
    }
    return this;
  }

  /** The q-quantile (0 ≤ q ≤ 1) in ms, within α relative error; NaN when empty. */
  quantile(q: number): number {
    return this.quantiles([q])[0];
  }

  /** Several quantiles in one pass over the buckets (`qs` ascending); each as `quantile(q)` gives it. */
  quantiles(qs: readonly number[]): number[] {
    const out = new Array<number>(qs.length).fill(Number.NaN);
    if (this.count === 0) return out;
    let i = 0;
    for (; i < qs.length && qs[i] * (this.count - 1) < this.zero; i++) out[i] = 0;
    if (i === qs.length) return out;
    const keys = this.keys();
    let seen = this.zero;
    for (let b = 0; b < keys.length && i < qs.length; b++) {
      seen += this.buckets.get(keys[b]) as number;
      for (; i < qs.length && seen > qs[i] * (this.count - 1); i++) out[i] = (2 * GAMMA ** keys[b]) / (GAMMA + 1);
    }
    return out;
  }

  /** `zero|key:count,…`, keys ascending: equal sketches encode equally. */
  encode(): string {
    let out = `${this.zero}|`;
    const keys = this.keys();
    for (let i = 0; i < keys.length; i++) out += `${i ? ',' : ''}${keys[i]}:${this.buckets.get(keys[i])}`;
    return out;
  }

  /** Inverse of `encode`; throws on malformed text. */
  static decode(text: string): LatencySketch {
    const m = /^(\d+)\|((?:-?\d+:\d+)(?:,-?\d+:\d+)*)?$/.exec(text);
    if (!m) throw new Error(`not a latency sketch: ${JSON.stringify(text.slice(0, 40))}`);
    const s = new LatencySketch();
    s.zero = Number(m[1]);
    s.count = s.zero;
    for (const part of m[2] ? m[2].split(',') : []) {
      const [k, c] = part.split(':').map(Number);
      s.bump(k, c);
      s.count += c;
    }
    return s;
  }
}
