import type { NodeRecord, Props } from '../../model/graph.js';
import { ASSISTANT_DEFAULTS, type AssistantContext } from '../context.js';
import { count, formatMetricValue, percent } from '../format.js';
import type { Reply } from '../reply.js';
import { displayName } from '../resolve-entity.js';
import { describeWindow, type TimeWindow } from '../time-phrases.js';
import { capLines } from './list-lines.js';

/** Call statistics of one CALLS edge over a window: totals, error ratio, worst-minute p99 (ms). */
export interface CallStats {
  calls: number;
  errors: number;
  p99Ms?: number;
  /** False when the edge keeps no per-window arrays and the totals are all-time. */
  windowed: boolean;
}

const nums = (v: unknown): number[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'number') ? v : undefined;

/**
 * Sums a CALLS edge's per-window arrays (windowStarts, counts, errors, p99Ms) over [from, to]; edges
 * without arrays give their totals. Never returns an array: answers cite numbers, not raw series.
 */
export function callStats(p: Props, window: Pick<TimeWindow, 'from' | 'to'>): CallStats {
  const starts = nums(p.windowStarts);
  const counts = nums(p.counts);
  if (starts && counts) {
    const width = typeof p.windowMs === 'number' ? p.windowMs : 60_000;
    const errors = nums(p.errors) ?? [];
    const p99 = nums(p.p99Ms) ?? [];
    let calls = 0;
    let errs = 0;
    let worst: number | undefined;
    starts.forEach((t, i) => {
      if (t + width <= window.from || t > window.to) return;
      calls += counts[i] ?? 0;
      errs += errors[i] ?? 0;
      if ((counts[i] ?? 0) > 0 && Number.isFinite(p99[i])) worst = Math.max(worst ?? 0, p99[i]);
    });
    return { calls, errors: errs, ...(worst !== undefined ? { p99Ms: worst } : {}), windowed: true };
  }
  const scalar = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    calls: scalar(p.count),
    errors: scalar(p.errorCount ?? (typeof p.errors === 'number' ? p.errors : 0)),
    ...(typeof p.p99 === 'number' ? { p99Ms: p.p99 } : {}),
    windowed: false,
  };
}

/** "3,344 calls, 2 errors (0.06 %), worst-minute p99 0.835 ms". */
export function describeCalls(s: CallStats): string {
  const errors =
    s.calls > 0 ? `${count(s.errors)} error${s.errors === 1 ? '' : 's'} (${percent(s.errors / s.calls)})` : '';
  const p99 =
    s.p99Ms !== undefined ? `${s.windowed ? 'worst-minute ' : ''}p99 ${formatMetricValue('latency_p99', s.p99Ms)}` : '';
  return [`${count(s.calls)} call${s.calls === 1 ? '' : 's'}`, errors, p99].filter(Boolean).join(', ');
}

/**
 * Dependencies (`out`: what X calls) or dependents (`in`: what calls X) over `CALLS`, one hop, with the
 * calls, errors and p99 of each edge in the window (the last hour by default); busiest first.
 */
export async function answerDependencies(
  ctx: AssistantContext,
  node: NodeRecord,
  direction: 'out' | 'in',
  asked?: TimeWindow,
): Promise<Reply> {
  const now = ctx.now();
  const window = asked ?? { from: now - ASSISTANT_DEFAULTS.windowMs, to: now, phrase: '' };
  const sub = await ctx.graph.neighbourhood([node.uid], { hops: 1, edges: ['CALLS'], direction, maxNodes: 1_000 });
  const edges = sub.edges.filter((e) => (direction === 'out' ? e.from === node.uid : e.to === node.uid));
  const names = new Map(sub.nodes.map((n) => [n.uid, displayName(n)]));
  const rows = edges
    .map((e) => {
      const other = direction === 'out' ? e.to : e.from;
      return {
        uid: `${e.from}->${e.to}`,
        name: names.get(other) ?? displayName(other),
        stats: callStats(e.props, window),
      };
    })
    .sort((a, b) => b.stats.calls - a.stats.calls || a.name.localeCompare(b.name));
  const name = displayName(node);
  const what = direction === 'out' ? 'calls' : 'is called by';
  const period = describeWindow(window, now);
  const lines = rows.map((r) => `\`${r.name}\`: ${describeCalls(r.stats)}`);
  return {
    title: `${direction === 'out' ? 'Dependencies' : 'Dependents'} of ${name} (${period})`,
    sections: [
      {
        lines:
          lines.length === 0
            ? [`${name} ${what} nothing in the graph.`]
            : [`${name} ${what} ${rows.length} service${rows.length === 1 ? '' : 's'}:`, ...capLines(lines, 25)],
      },
    ],
    evidence: rows.slice(0, 25).map((r, i) => ({ uid: r.uid, label: 'CALLS', summary: lines[i] })),
    actions: [
      {
        label: direction === 'out' ? `Dependents of ${name}` : `Dependencies of ${name}`,
        command: direction === 'out' ? `dependents of ${name}` : `dependencies of ${name}`,
      },
      { label: `What is wrong with ${name}`, command: `what is wrong with ${name}` },
    ],
    about: { entity: node.uid },
  };
}
