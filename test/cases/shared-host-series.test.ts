import { describe, expect, it } from 'vitest';
import { normaliseCase } from '../../src/cases/normalise-case.js';
import { readingNotes } from '../../src/cases/reading-notes.js';
import { sharedSeriesAsHosts } from '../../src/cases/shared-host-series.js';
import type { CaseData, CaseSeries } from '../../src/cases/types.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';

const N = 66;
const START_ROW = 60;
const timestamps = Float64Array.from({ length: N }, (_, i) => 1_000_000 + i * 60);

function series(entity: string, metric: string, at: (i: number) => number): CaseSeries {
  return { key: `${entity}|${metric}`, entity, metric, values: Float64Array.from({ length: N }, (_, i) => at(i)) };
}

function caseOf(s: CaseSeries[], topology: CaseData['topology'] = []): CaseData {
  return {
    name: 'shared',
    timestamps,
    series: s,
    topology,
    spans: [],
    logs: [],
    incident: { start: timestamps[START_ROW], entry: 'fe', entryMetric: 'latency' },
    has: { metrics: true, topology: topology.length > 0, traces: false, logs: false },
  };
}

describe('sharedSeriesAsHosts', () => {
  const node = (i: number) => 40 + (i % 7) + (i >= START_ROW ? 30 : 0);

  it("moves a resource series identical on several entities to one host per set of entities, the entities' own kept", () => {
    const { data, hosts } = sharedSeriesAsHosts(
      caseOf([
        series('a', 'cpu', (i) => 1 + (i % 3)),
        series('a', 'NodeCpuUsageRate(%)', node),
        series('b', 'NodeCpuUsageRate(%)@b-1', node),
        series('a', 'NodeMemoryUsageRate(%)', (i) => 60 + (i % 4)),
        series('b', 'NodeMemoryUsageRate(%)', (i) => 60 + (i % 4)),
        series('c', 'NodeCpuUsageRate(%)', (i) => 20 + (i % 5)),
      ]),
    );
    expect(hosts).toEqual([
      { host: 'host of a, b', entities: ['a', 'b'], metrics: ['NodeCpuUsageRate(%)', 'NodeMemoryUsageRate(%)'] },
    ]);
    expect(data.series.map((s) => s.key)).toEqual([
      'a|cpu',
      'c|NodeCpuUsageRate(%)',
      'host of a, b|NodeCpuUsageRate(%)',
      'host of a, b|NodeMemoryUsageRate(%)',
    ]);
    expect(Array.from(data.series[2].values)).toEqual(Array.from({ length: N }, (_, i) => node(i)));
  });

  it('leaves alone what is the same everywhere by nature or not a machine’s: flat series, SLIs, request counts', () => {
    const c = caseOf([
      series('a', 'cpu_limit', () => 2),
      series('b', 'cpu_limit', () => 2),
      series('a', 'memory', (i) => (i % 2 ? 5 : 6)),
      series('b', 'memory', (i) => (i % 2 ? 5 : 6)),
      series('a', 'latency', node),
      series('b', 'latency', node),
      series('a', 'requests_Sum', node),
      series('b', 'requests_Sum', node),
    ]);
    const { data, hosts } = sharedSeriesAsHosts(c);
    expect(hosts).toEqual([]);
    expect(data).toBe(c);
  });

  it("leaves one workload's figures seen twice alone: a Service and its Pod, a Pod and its sidecar", () => {
    for (const pair of [
      ['c', 'c-pod'],
      ['cart', 'cart.sidecar'],
      ['shop/cart', 'shop/cart:istio-proxy'],
    ])
      expect(sharedSeriesAsHosts(caseOf(pair.map((e) => series(e, 'node_cpu', node)))).hosts).toEqual([]);
    // Names that merely begin alike are two workloads.
    expect(
      sharedSeriesAsHosts(caseOf(['cart', 'cartography'].map((e) => series(e, 'node_cpu', node)))).hosts,
    ).toHaveLength(1);
  });

  it('keeps empty cells apart: one series with a gap is not the same as one without', () => {
    const gap = series('b', 'cpu', (i) => (i === 5 ? Number.NaN : 1 + (i % 3)));
    expect(sharedSeriesAsHosts(caseOf([series('a', 'cpu', (i) => 1 + (i % 3)), gap])).hosts).toEqual([]);
    const gapToo = series('a', 'cpu', (i) => (i === 5 ? Number.NaN : 1 + (i % 3)));
    expect(sharedSeriesAsHosts(caseOf([gapToo, gap])).hosts).toHaveLength(1);
  });

  it('names a host apart from an entity of the case, and counts the entities past three', () => {
    const s = ['a', 'b', 'c', 'd'].map((e) => series(e, 'node_cpu', node));
    expect(sharedSeriesAsHosts(caseOf(s)).hosts[0].host).toBe('host of a, b, c and 1 more');
    const clash = sharedSeriesAsHosts(caseOf([...s.slice(0, 2), series('host of a, b', 'memory', (i) => i % 9)]));
    expect(clash.hosts[0].host).toBe('host of a, b #2');
  });

  it('names the first three hosts in the reading notes and counts the rest', () => {
    const s = ['a', 'b', 'c', 'd', 'e'].flatMap((x, k) =>
      [`${x}1`, `${x}2`].map((e) => series(e, 'node_cpu', (i) => 40 + ((i + k) % 7))),
    );
    const notes = readingNotes(normaliseCase(caseOf(s)));
    expect(notes).toHaveLength(4);
    expect(notes[3]).toBe('and 2 more hosts made the same way for series identical on several entities');
  });

  it('says what it did in the reading notes', () => {
    const c = normaliseCase(caseOf([series('a', 'node_cpu', node), series('b', 'node_cpu', node)]));
    expect(readingNotes(c)).toEqual([
      '1 series identical on a, b (node_cpu) read as their shared host\'s: "host of a, b"',
    ]);
  });
});

describe('a node figure copied onto every pod of the node', () => {
  // fe → a, fe → b; b and c run on one node, whose CPU every pod's row repeats. A CPU stress in c lifts
  // its own CPU and the node's; b, closer to the alarm, carries the same copy of the node's CPU.
  const stressed = () => {
    const noise = (e: string, i: number) => ((i * 7 + e.length * 5 + e.charCodeAt(0) * 3) % 11) / 100;
    const nodeCpu = (i: number) => 30 + (i % 5) + (i >= START_ROW ? 50 : 0);
    return caseOf(
      [
        series('fe', 'latency', (i) => 10 + noise('fe', i) + (i >= START_ROW ? 6 : 0)),
        series('a', 'latency', (i) => 10 + noise('a', i) + (i >= START_ROW ? 2 : 0)),
        series('b', 'latency', (i) => 10 + noise('b', i)),
        series('c', 'latency', (i) => 10 + noise('c', i) + (i >= START_ROW ? 0.5 : 0)),
        ...['fe', 'a', 'b', 'c'].map((e) =>
          series(e, 'cpu', (i) => 0.5 + 3 * noise(e, i) + (e === 'c' && i >= START_ROW ? 0.4 : 0)),
        ),
        series('b', 'NodeCpuUsageRate(%)', nodeCpu),
        series('c', 'NodeCpuUsageRate(%)', nodeCpu),
      ],
      [
        { source: 'fe', target: 'a' },
        { source: 'fe', target: 'b' },
        { source: 'a', target: 'c' },
      ],
    );
  };

  it('ranks the stressed pod first, the shared host read as a host that the pod explains', () => {
    const analysis = analyseCase(normaliseCase(stressed()));
    const ranked = rankRootCauses(analysis, defaultWeights(), { rng: seededRng(1) });
    expect(ranked[0].entity).toBe('c');
    // Read as its own, the copy made b a near-tie with c (0.73 against 0.74).
    const score = (e: string) => ranked.find((r) => r.entity === e)?.score ?? 0;
    expect(score('b')).toBeLessThan(score('c') / 2);
    const host = analysis.graph.index.get('host of b, c') as number;
    expect(analysis.hosts[host]).toBe(1);
  });
});
