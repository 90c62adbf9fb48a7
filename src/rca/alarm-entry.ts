/**
 * What alarmed: the incident's entry entity and its alarm SLI series, as given by the alarm or, when it
 * names neither, picked from the data (a front end; the entry's most anomalous SLI). Pure.
 */
import type { BehaviourGraph } from './behaviour-graph.js';
import type { MetricMove, SeriesIn } from './metric-evidence.js';
import { isSliMetric } from '../model/metric-semantics.js';

/** What of an incident's input the picks read (RcaInput fits). */
export interface AlarmInput {
  series: readonly SeriesIn[];
  incident: { entry?: string; entryMetric?: string };
  /** Log lines by writer: with no metrics and no call graph, the writers are all the entities there are. */
  logs?: ReadonlyArray<{ entity: string }>;
}

// The entry: as given; else the most anomalous entity that calls others but nobody calls (a front end);
// else the most anomalous; with only logs, the busiest writer (a front end logs every request).
// Isolated nodes (hosts, entities off the call graph) are no front end.
export function pickEntry(input: AlarmInput, graph: BehaviourGraph, moves: Array<MetricMove | null>): string {
  if (input.incident.entry) return input.incident.entry;
  const best = new Map<string, number>();
  input.series.forEach((s, i) => best.set(s.entity, Math.max(best.get(s.entity) ?? 0, moves[i]?.harm ?? 0)));
  const roots = graph.nodes.filter(
    (e, i) =>
      graph.in.offsets[i + 1] === graph.in.offsets[i] &&
      graph.out.offsets[i + 1] > graph.out.offsets[i] &&
      graph.source !== 'pc-skeleton',
  );
  const pool = roots.length > 0 ? roots : graph.nodes;
  if (pool.length === 0) return busiestWriter(input.logs ?? []);
  let pick = pool[0];
  for (const e of pool) if ((best.get(e) ?? 0) > (best.get(pick) ?? 0)) pick = e;
  return pick;
}

// The writer of the most lines (the first to reach it on a tie). With none there is nothing at all to
// anchor on (an offline case is refused before this; a live incident may come with nothing yet).
function busiestWriter(logs: ReadonlyArray<{ entity: string }>): string {
  const lines = new Map<string, number>();
  let pick = 'unknown';
  for (const l of logs) {
    const n = (lines.get(l.entity) ?? 0) + 1;
    lines.set(l.entity, n);
    if (n > (lines.get(pick) ?? 0)) pick = l.entity;
  }
  return pick;
}

// The alarm SLI: the named metric (or its replica that moved most); else the entry's most anomalous latency/error/availability series
// that is anomalous at all (an infrastructure metric is not what users alarm on); else none.
export function pickEntrySeries(
  input: AlarmInput,
  entry: string,
  moves: Array<MetricMove | null>,
  anomalousZ: number,
): SeriesIn | null {
  let best: SeriesIn | null = null,
    bestZ = anomalousZ;
  // The named metric; of its replicas (`<metric>@<replica>`), the one that moved most.
  const named = input.incident.entryMetric;
  let replica: SeriesIn | null = null,
    replicaZ = -1;
  for (let i = 0; i < input.series.length; i++) {
    const s = input.series[i];
    if (s.entity !== entry || !named) continue;
    if (s.metric === named) return s;
    if (s.metric.startsWith(`${named}@`) && (moves[i]?.harm ?? 0) > replicaZ) {
      replica = s;
      replicaZ = moves[i]?.harm ?? 0;
    }
  }
  if (replica) return replica;
  for (let i = 0; i < input.series.length; i++) {
    const s = input.series[i];
    if (s.entity !== entry) continue;
    if (!isSliMetric(s.metric)) continue;
    const zz = moves[i]?.harm ?? 0;
    if (zz >= bestZ) {
      bestZ = zz;
      best = s;
    }
  }
  return best;
}
