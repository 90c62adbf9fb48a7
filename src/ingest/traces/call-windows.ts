import type { Props } from '../../model/graph.js';
import { LatencySketch } from './latency-sketch.js';
import type { WindowState } from './trace-aggregator-state.js';

/** Statistics of one call edge in one time window. */
export interface WindowStats {
  count: number;
  errors: number;
  sumMs: number;
  sketch: LatencySketch;
  /** What `toProps` derived from the window, kept until the window changes (most windows are closed). */
  memo?: WindowMemo;
}

interface WindowMemo {
  p50: number;
  p95: number;
  p99: number;
  sketch: string;
}

const QUANTILES = [0.5, 0.95, 0.99];

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : -1);

/**
 * Per-window statistics of one CALLS edge, keyed by window start (ms). Mergeable: two instances
 * fed with disjoint calls merge into what one would hold for all of them.
 */
export class CallWindows {
  readonly windows = new Map<number, WindowStats>();
  /** The sum of the retained windows' sketches, kept as windows are added to and dropped. */
  private readonly total = new LatencySketch();
  private totalMemo: number[] | null = null;
  /** Window starts ascending; null after a window was created or dropped. */
  private sorted: number[] | null = null;
  /** The window the last call went to: calls arrive mostly in time order. */
  private last: { start: number; w: WindowStats } | null = null;

  constructor(
    readonly windowMs: number,
    readonly retain: number,
  ) {}

  /** Records one call that started at `startMs` and lasted `ms`. */
  add(startMs: number, ms: number, error: boolean): void {
    const start = Math.floor(startMs / this.windowMs) * this.windowMs;
    const w = this.last?.start === start ? this.last.w : this.window(start);
    w.count++;
    if (error) w.errors++;
    w.sumMs += ms;
    w.sketch.add(ms);
    w.memo = undefined;
    this.total.add(ms);
    this.totalMemo = null;
    this.trim();
  }

  /** Adds another edge's windows (another worker, or what the graph already held). */
  merge(other: CallWindows): this {
    for (const [start, o] of other.windows) {
      const w = this.window(start);
      w.count += o.count;
      w.errors += o.errors;
      w.sumMs += o.sumMs;
      w.sketch.merge(o.sketch);
      w.memo = undefined;
      this.total.merge(o.sketch);
    }
    this.totalMemo = null;
    this.trim();
    return this;
  }

  private window(start: number): WindowStats {
    let w = this.windows.get(start);
    if (!w) {
      w = { count: 0, errors: 0, sumMs: 0, sketch: new LatencySketch() };
      this.windows.set(start, w);
      this.sorted = null;
    }
    this.last = { start, w };
    return w;
  }

  private starts(): number[] {
    this.sorted ??= [...this.windows.keys()].sort((a, b) => a - b);
    return this.sorted;
  }

  /** Keeps the newest `retain` windows: the graph holds recent behaviour, not history. */
  private trim(): void {
    if (this.windows.size <= this.retain) return;
    const starts = this.starts();
    for (const s of starts.slice(0, starts.length - this.retain)) {
      this.total.subtract(this.windows.get(s)!.sketch);
      this.windows.delete(s);
      if (this.last?.start === s) this.last = null;
    }
    this.sorted = null;
    this.totalMemo = null;
  }

  private memo(w: WindowStats): WindowMemo {
    if (!w.memo) {
      const [p50, p95, p99] = w.sketch.quantiles(QUANTILES);
      w.memo = { p50: round(p50), p95: round(p95), p99: round(p99), sketch: w.sketch.encode() };
    }
    return w.memo;
  }

  /**
   * Edge properties: parallel arrays per window (oldest first) plus totals over the retained
   * windows. `sketches` keeps the mergeable form; quantiles are read from it. Deterministic.
   */
  toProps(): Props {
    const starts = this.starts().slice();
    const n = starts.length;
    const [counts, errors, sumMs, p50Ms, p95Ms, p99Ms] = [0, 0, 0, 0, 0, 0].map(() => new Array<number>(n));
    const sketches = new Array<string>(n);
    let count = 0;
    let errorCount = 0;
    for (let i = 0; i < n; i++) {
      const w = this.windows.get(starts[i]) as WindowStats;
      const m = this.memo(w);
      counts[i] = w.count;
      errors[i] = w.errors;
      sumMs[i] = round(w.sumMs);
      p50Ms[i] = m.p50;
      p95Ms[i] = m.p95;
      p99Ms[i] = m.p99;
      sketches[i] = m.sketch;
      count += w.count;
      errorCount += w.errors;
    }
    this.totalMemo ??= this.total.quantiles([0.5, 0.99]).map(round);
    return {
      windowMs: this.windowMs,
      windowStarts: starts,
      counts,
      errors,
      sumMs,
      p50Ms,
      p95Ms,
      p99Ms,
      sketches,
      count,
      errorCount,
      p50: this.totalMemo[0],
      p99: this.totalMemo[1],
      lastWindow: n ? starts[n - 1] : -1,
    };
  }

  /** The windows as plain rows, oldest first: `[start, count, errors, sumMs, sketch]`. */
  toState(): WindowState[] {
    return this.starts().map((start) => {
      const w = this.windows.get(start) as WindowStats;
      return [start, w.count, w.errors, w.sumMs, w.sketch.encode()];
    });
  }

  /** Windows as `toState` gave them; throws on a malformed sketch. */
  static fromState(windowMs: number, retain: number, rows: readonly WindowState[]): CallWindows {
    const out = new CallWindows(windowMs, retain);
    for (const [start, count, errors, sumMs, sketch] of rows) {
      const w: WindowStats = { count, errors, sumMs, sketch: LatencySketch.decode(sketch) };
      out.windows.set(start, w);
      out.total.merge(w.sketch);
    }
    return out;
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
    for (const w of out.windows.values()) out.total.merge(w.sketch);
    return out;
  }
}
