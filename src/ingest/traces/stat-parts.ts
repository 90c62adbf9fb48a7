/**
 * The trace path's statistics as per-writer parts, for a graph that several ingest replicas write
 * (docs/architecture.md, "Several ingest replicas"). Each replica's aggregator emits absolute totals
 * of the traces it saw; the store keeps each replica's totals as its part and shows the merge of all
 * parts: CALLS windows are added window by window (sketches merge exactly), TracePattern counts are
 * summed. Pure; plugged into the Neo4j store by the composition root.
 */
import type { Props } from '../../model/graph.js';
import { CallWindows } from './call-windows.js';
import { DEFAULTS } from './trace-aggregator.js';
import type { WindowState } from './trace-aggregator-state.js';

interface CallsPart {
  windowMs: number;
  rows: WindowState[];
}

/** What a store needs to keep per-writer parts of some records and show their merge. */
export const traceStatParts = {
  kinds: new Set<string>(['CALLS', 'TracePattern']),

  /** One writer's absolute props as its part; undefined when the props are not statistics (written as they are). */
  toPart(kind: string, props: Props): string | undefined {
    if (kind === 'TracePattern') {
      const { normalCount, anomalousCount } = props;
      return typeof normalCount === 'number' && typeof anomalousCount === 'number'
        ? JSON.stringify([normalCount, anomalousCount])
        : undefined;
    }
    const w = kind === 'CALLS' ? CallWindows.fromProps(props, DEFAULTS.retainWindows) : undefined;
    return w ? JSON.stringify({ windowMs: w.windowMs, rows: w.toState() } satisfies CallsPart) : undefined;
  },

  /** The props to show: this write's props with the statistics replaced by the merge of every writer's part. */
  merge(kind: string, parts: readonly string[], props: Props): Props {
    if (kind === 'TracePattern') {
      let normal = 0;
      let anomalous = 0;
      for (const p of parts) {
        const [n, a] = JSON.parse(p) as [number, number];
        normal += n;
        anomalous += a;
      }
      return { ...props, normalCount: normal, anomalousCount: anomalous, count: normal + anomalous };
    }
    const windowMs = props.windowMs as number;
    const merged = new CallWindows(windowMs, DEFAULTS.retainWindows);
    for (const p of parts) {
      const part = JSON.parse(p) as CallsPart;
      // A part kept with another window length cannot be added window by window: left out.
      if (part.windowMs === windowMs) merged.merge(CallWindows.fromState(windowMs, DEFAULTS.retainWindows, part.rows));
    }
    return { ...props, ...merged.toProps() };
  },
};
