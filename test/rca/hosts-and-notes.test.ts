import { describe, expect, it } from 'vitest';
import { analyseCase, type RcaInput } from '../../src/rca/analyse-case.js';
import { rankingConfidence } from '../../src/rca/confidence.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';

// fe → cart, fe → pay on one VM. 20 normal minutes, then 10 incident minutes at 60 s.
function vmCase(fault: 'container' | 'node'): RcaInput {
  const n = 30,
    start = 1_000_000 + 20 * 60;
  const timestamps = Float64Array.from({ length: n }, (_, i) => 1_000_000 + i * 60);
  const wobble = (i: number, k: number) => ((i * 7 + k * 3) % 5) * 0.01;
  const on = (i: number) => i >= 20 && i < 25;
  const cartCpu = Float64Array.from(
    { length: n },
    (_, i) => 0.2 + wobble(i, 1) + (fault === 'container' && on(i) ? 1.5 : 0),
  );
  const vmCpu = Float64Array.from(
    { length: n },
    (_, i) => 0.5 + wobble(i, 2) + (on(i) ? 2.5 : 0), // the host also carries the container's overhead
  );
  const flat = (k: number) => Float64Array.from({ length: n }, (_, i) => 0.3 + wobble(i, k));
  return {
    timestamps,
    series: [
      { entity: 'fe', metric: 'cpu_usage', values: flat(3) },
      { entity: 'cart', metric: 'cpu_usage', values: cartCpu },
      { entity: 'pay', metric: 'cpu_usage', values: flat(4) },
      { entity: 'vm1', metric: 'cpu_usage', values: vmCpu },
    ],
    topology: [
      { source: 'fe', target: 'cart' },
      { source: 'fe', target: 'pay' },
    ],
    incident: { start },
  };
}

describe('hosts', () => {
  it('a VM whose CPU a container on it explains is not the root cause', () => {
    const a = analyseCase(vmCase('container'));
    expect(a.explainedBy[a.graph.index.get('vm1') as number]).toBe('cart');
    const r = rankRootCauses(a, defaultWeights(), { rng: seededRng(1) });
    expect(r[0].entity).toBe('cart');
  });

  it('an alarm on the pod itself: its machine, which it explains, does not take the root from it', () => {
    // The pod alarmed (the entry) and runs on vm1 (an edge to its machine, as live RUNS_ON gives).
    const input = vmCase('container');
    input.topology = [...input.topology, { source: 'cart', target: 'vm1' }];
    input.hosts = ['vm1'];
    input.incident = { start: input.incident.start, entry: 'cart' };
    const a = analyseCase(input);
    expect(a.explainedBy[a.graph.index.get('vm1') as number]).toBe('cart');
    const r = rankRootCauses(a, defaultWeights(), { rng: seededRng(1) });
    expect(r[0].entity).toBe('cart');
  });

  it('an alarm on an entity no call edge names is on a service, not on a host', () => {
    // The topology lists fe's calls but not the gateway in front of it, whose SLI alarmed.
    const input = vmCase('container');
    input.series = [
      ...input.series,
      { entity: 'gateway', metric: 'latency', values: Float64Array.from(input.timestamps, (_, i) => 10 + (i % 3)) },
    ];
    input.incident = { start: input.incident.start, entry: 'gateway' };
    const a = analyseCase(input);
    expect(a.hosts[a.graph.index.get('gateway') as number]).toBe(0);
    expect(a.hosts[a.graph.index.get('vm1') as number]).toBe(1);
  });

  it('a VM whose anomaly no workload explains is the root cause', () => {
    const a = analyseCase(vmCase('node'));
    expect(a.explainedBy[a.graph.index.get('vm1') as number]).toBeNull();
    const r = rankRootCauses(a, defaultWeights(), { rng: seededRng(1) });
    expect(r[0].entity).toBe('vm1');
  });
});

describe('notes on missing evidence', () => {
  it('says which modality is missing, that the baseline is short and that the entry was guessed', () => {
    const a = analyseCase(vmCase('node'));
    expect(a.notes).toEqual(
      expect.arrayContaining([
        'no traces',
        'no logs',
        'the alarm named no entity: the entry was guessed',
        expect.stringMatching(/^short baseline/),
      ]),
    );
    expect(a.coverage.traces).toBe(false);
  });

  it('reads an alarm naming an entity the case holds nothing of (a typo) as naming none, and says so', () => {
    const unnamed = analyseCase(vmCase('node'));
    const typo = analyseCase({ ...vmCase('node'), incident: { ...vmCase('node').incident, entry: 'fee' } });
    expect(typo.notes).toContainEqual(
      'the alarm named "fee", which no metric, call edge, span or log line of the case names: the entry was guessed',
    );
    expect(typo.notes).not.toContain('the alarm named no entity: the entry was guessed');
    expect(typo.coverage.entryGiven).toBe(false);
    expect(typo.graph.nodes).not.toContain('fee');
    expect(typo.graph.nodes[typo.entry]).toBe(unnamed.graph.nodes[unnamed.entry]);
    const named = analyseCase({ ...vmCase('node'), incident: { ...vmCase('node').incident, entry: 'fe' } });
    expect(named.coverage.entryGiven).toBe(true);
  });

  it('says so when the alarm names a metric its entity has no series of (the alarm metric was then guessed)', () => {
    const incident = { ...vmCase('node').incident, entry: 'fe' };
    const typo = analyseCase({ ...vmCase('node'), incident: { ...incident, entryMetric: 'latncy_p99' } });
    expect(typo.notes).toContainEqual(
      'the alarm named the metric "latncy_p99", which its entity has no series of: the alarm metric was guessed',
    );
    const right = analyseCase({ ...vmCase('node'), incident: { ...incident, entryMetric: 'cpu_usage' } });
    expect(right.notes.some((n) => n.includes('alarm metric'))).toBe(false);
  });

  it('says so when spans and log lines were given but none lies in the incident window (a time unit slip)', () => {
    const input = vmCase('node');
    const start = input.incident.start;
    // Log time in milliseconds and span time in microseconds: both land far from the incident.
    input.logs = [{ timestamp: start * 1000, entity: 'cart', level: 'ERROR', message: 'boom' }];
    input.spans = [
      {
        traceId: 't',
        spanId: 's',
        parentSpanId: null,
        entity: 'fe',
        operation: 'GET /',
        startNs: start * 1e6,
        durationNs: 5e6,
        status: 'ok',
      },
    ];
    const a = analyseCase(input);
    expect(a.coverage.logs).toBe(false);
    expect(a.coverage.traces).toBe(false);
    expect(a.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^no logs near the incident \(1 line given.*unix seconds/),
        expect.stringMatching(/^no traces near the incident \(1 span given.*unix nanoseconds/),
      ]),
    );
    // Near the start they count, before it too (a live analysis may run before any line after it).
    input.logs = [{ ...input.logs[0], timestamp: start - 60 }];
    expect(analyseCase(input).coverage.logs).toBe(true);
  });

  it('says so when metric rows were given but none lies near the incident, and lowers the confidence', () => {
    const input = vmCase('node');
    const near = analyseCase(input);
    input.timestamps = input.timestamps.map((t) => t + 30 * 86_400);
    const far = analyseCase(input);
    expect(far.coverage.metrics).toBe(false);
    expect(far.notes).toContainEqual(
      expect.stringMatching(/^no metrics near the incident \(30 rows given.*unix seconds/),
    );
    expect(near.notes.some((n) => n.startsWith('no metrics'))).toBe(false);
    expect(rankingConfidence(far, [1, 0]).confidence).toBeLessThan(rankingConfidence(near, [1, 0]).confidence);
  });
});
