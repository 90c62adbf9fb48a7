import type { Props } from '../../model/graph.js';
import { LatencySketch } from './latency-sketch.js';

/** Statistics of one call edge in one time window. */
export interface WindowStats {
  count: number;
  errors: number;
  sumMs: number;
  sketch: LatencySketch;
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : -1);

/**
 * Per-window statistics of one CALLS edge, keyed by window start (ms). Mergeable: two instances
 * fed with disjoint calls merge into what one would hold for all of them.
 */
export class CallWindows {
  readonly windows = new Map<number, WindowStats>();

  constructor(
    readonly windowMs: number,
    readonly retain: number,
  ) {}

  /** Records one call that started at `startMs` and lasted `ms`. */
  add(startMs: number, ms: number, error: boolean): void {
    const start = Math.floor(startMs / this.windowMs) * this.windowMs;
    let w = this.windows.get(start);
    if (!w) {
      w = { count: 0, errors: 0, sumMs: 0, sketch: new LatencySketch() };
      this.windows.set(start, w);
    }
    w.count++;
    if (error) w.errors++;
    w.sumMs += ms;
    w.sketch.add(ms);
    this.trim();
  }

  /** Adds another edge's windows (another worker, or what the graph already held). */
  merge(other: CallWindows): this {
    for (const [start, o] of other.windows) {
      const w = this.windows.get(start);
      if (!w) this.windows.set(start, { ...o, sketch: new LatencySketch().merge(o.sketch) });
      else {
        w.count += o.count;
        w.errors += o.errors;
        w.sumMs += o.sumMs;
        w.sketch.merge(o.sketch);
      }
    }
    this.trim();
    return this;
  }

  /** Keeps the newest `retain` windows: the graph holds recent behaviour, not history. */
  private trim(): void {
    if (this.windows.size <= this.retain) return;
    const starts = [...this.windows.keys()].sort((a, b) => a - b);
    for (const s of starts.slice(0, starts.length - this.retain)) this.windows.delete(s);
  }

  /**
   * Edge properties: parallel arrays per window (oldest first) plus totals over the retained
   * windows. `sketches` keeps the mergeable form; quantiles are read from it. Deterministic.
   */
  toProps(): Props {
    const starts = [...this.windows.keys()].sort((a, b) => a - b);
    const ws = starts.map((s) => this.windows.get(s) as WindowStats);
    const total = new LatencySketch();
    for (const w of ws) total.merge(w.sketch);
    return {
      windowMs: this.windowMs,
      windowStarts: starts,
      counts: ws.map((w) => w.count),
      errors: ws.map((w) => w.errors),
      sumMs: ws.map((w) => round(w.sumMs)),
      p50Ms: ws.map((w) => round(w.sketch.quantile(0.5))),
      p95Ms: ws.map((w) => round(w.sketch.quantile(0.95))),
      p99Ms: ws.map((w) => round(w.sketch.quantile(0.99))),
      sketches: ws.map((w) => w.sketch.encode()),
      count: ws.reduce((a, w) => a + w.count, 0),
      errorCount: ws.reduce((a, w) => a + w.errors, 0),
      p50: round(total.quantile(0.5)),
      p99: round(total.quantile(0.99)),
      lastWindow: starts.length ? starts[starts.length - 1] : -1,
    };
  }

  /** Reads `toProps` output back (to combine with what the graph holds); undefined when absent or malformed. */
  static fromProps(p: Props, retain: number): CallWindows | undefined {
    const { windowMs, windowStarts, counts, errors, sumMs, sketches } = p;
    if (
      typeof windowMs !== 'number' ||
      !Array.isArray(windowStarts) ||
      !Array.isArray(sketches) ||
      !Array.isArray(counts)
    )
      return undefined;
    const out = new CallWindows(windowMs, retain);
    try {
      windowStarts.forEach((s, i) =>
        out.windows.set(Number(s), {
          count: Number(counts[i]),
          errors: Number((errors as number[] | undefined)?.[i] ?? 0),
          sumMs: Number((sumMs as number[] | undefined)?.[i] ?? 0),
          sketch: LatencySketch.decode(String(sketches[i])),
        }),
      );
    } catch {
      return undefined;
    }
    return out;
  }
}
