import { describe, expect, it } from 'vitest';
import { analyseCase, type RcaInput } from '../../src/rca/analyse-case.js';
import { offPathCallers } from '../../src/rca/off-path.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { formatMetricMove } from '../../src/assistant/format.js';
import { parseSuspectExplanation } from '../../src/model/suspect-explanation.js';
import { steppedSeries, syntheticCase } from './helpers.js';

/**
 * fe → {a, b}, a → c, plus `client` → a: a caller the alarm's entry (fe) does not reach (a load
 * generator's client view). The alarm is on errors. a's latency rises far; the client sees errors (the
 * alarm's family, half a's z), and fe a little of both.
 */
function withClient(o: { entry?: boolean; clientCpu?: number; clientErrors?: number } = {}): RcaInput {
  const input = syntheticCase(5, { a: { latency: 12 }, fe: { latency: 3, errors: 3 } });
  input.incident = { ...input.incident, entryMetric: 'errors' };
  const aErrors = input.series.find((s) => s.entity === 'a' && s.metric === 'errors')?.values ?? new Float64Array();
  input.series = [
    ...input.series,
    // a's errors as the client sees them, plus its own step.
    { entity: 'client', metric: 'errors', values: aErrors.map((v, i) => v + (i >= 60 ? (o.clientErrors ?? 6) : 0)) },
    steppedSeries(input, 'client', 'cpu_usage', 1, o.clientCpu ?? 0),
  ];
  input.topology = [...input.topology, { source: 'client', target: 'a' }];
  if (o.entry === false) input.incident = { start: input.incident.start };
  return input;
}

const top = (input: RcaInput) => rankRootCauses(analyseCase(input), defaultWeights(), { rng: seededRng(1) });

describe('off-path callers', () => {
  it("takes an off-path caller's SLI for its callee's trouble: the callee leads, and the card says why", () => {
    const ranked = top(withClient());
    expect(ranked[0].entity).toBe('a');
    const client = ranked.find((r) => r.entity === 'client');
    // Its errors are the alarm's family: read alone, the statistics would put it first.
    expect(client?.explanation.components.stats).toBeLessThan(ranked[0].explanation.components.stats);
    const move = client?.explanation.metrics.find((m) => m.metric === 'errors');
    expect(move?.echoOf).toBe('a');
    // An incident stores the explanation as JSON; the mark survives the round trip.
    const stored = parseSuspectExplanation(JSON.parse(JSON.stringify(client?.explanation)));
    expect(stored.metrics?.find((m) => m.metric === 'errors')?.echoOf).toBe('a');
    expect(formatMetricMove(move ?? { metric: 'errors', z: 0 })).toContain(
      "likely a's trouble: it calls a, which moved more, and the alarm's service does not call it",
    );
  });

  it("keeps an off-path caller's own load evidence in full (a noisy neighbour is what it does)", () => {
    const a = analyseCase(withClient({ clientCpu: 40 }));
    const cpu = a.moves[a.graph.index.get('client') as number].find((m) => m.metric === 'cpu_usage');
    expect(cpu?.echoOf).toBeUndefined();
    expect(cpu?.harm).toBeGreaterThan(10);
  });

  it("leaves an off-path caller's SLI move alone when it is larger than its callee's trouble", () => {
    const a = analyseCase(withClient({ clientErrors: 60 }));
    const errors = a.moves[a.graph.index.get('client') as number].find((m) => m.metric === 'errors');
    expect(errors?.echoOf).toBeUndefined();
    expect(errors?.harm).toBeGreaterThan(25);
  });

  it('judges nothing when the alarm named no entry, or without a call graph', () => {
    const guessed = analyseCase(withClient({ entry: false }));
    const client = guessed.moves[guessed.graph.index.get('client') as number];
    expect(client.every((m) => m.echoOf === undefined)).toBe(true);
    const input = withClient();
    const a = analyseCase({ ...input, topology: [] });
    const moves = input.series.map(
      (s) => a.moves[a.graph.index.get(s.entity) as number].find((m) => m.metric === s.metric) ?? null,
    );
    const out = offPathCallers(
      { series: input.series, moves, graph: a.graph, hosts: a.hosts, entry: a.entry },
      { anomalousZ: 3 },
    );
    expect(a.graph.source).toBe('pc-skeleton');
    expect(out.every((x) => x === null)).toBe(true);
  });

  it("follows the calls of the entry's workload when the alarm names one of its parts", () => {
    const input = withClient();
    // The alarm names fe's Pod; the calls are drawn from fe, the Service it is part of.
    const pod = { ...input, incident: { ...input.incident, entry: 'fe-pod' } };
    pod.topology = [...input.topology, { source: 'fe', target: 'fe-pod' }];
    const a = analyseCase({ ...pod, workloadOf: new Map([['fe-pod', 'fe']]) });
    const errors = a.moves[a.graph.index.get('client') as number].find((m) => m.metric === 'errors');
    expect(errors?.echoOf).toBe('a');
  });

  it("takes no callee's load for its trouble: the caller may be what raised it (a retry storm)", () => {
    const input = withClient();
    // a's only move is in requests (the client's retries); its latency is as normal.
    input.series = input.series.map((s) =>
      s.entity === 'a' && s.metric === 'latency' ? { ...s, metric: 'request_rate' } : s,
    );
    const a = analyseCase(input);
    const errors = a.moves[a.graph.index.get('client') as number].find((m) => m.metric === 'errors');
    expect(errors?.echoOf).toBeUndefined();
  });

  it('takes no trouble of a callee asked to do more than normal for an echo: a caller may be flooding it', () => {
    const input = withClient();
    const aLatency = input.series.find((s) => s.entity === 'a' && s.metric === 'latency');
    // a is slow and serves far more requests than normal (the client's flood).
    input.series = [...input.series, { ...(aLatency as (typeof input.series)[number]), metric: 'request_rate' }];
    const a = analyseCase(input);
    const errors = a.moves[a.graph.index.get('client') as number].find((m) => m.metric === 'errors');
    expect(errors?.echoOf).toBeUndefined();
  });

  it('judges no caller of the entry: upstream load can harm it, so the rule is for side branches', () => {
    const input = withClient();
    // The alarm is on a: fe calls a and is upstream of it; client is upstream too.
    const a = analyseCase({ ...input, incident: { ...input.incident, entry: 'a', entryMetric: 'latency' } });
    for (const e of ['fe', 'client'])
      expect(a.moves[a.graph.index.get(e) as number].every((m) => m.echoOf === undefined)).toBe(true);
  });

  it('marks every part of an off-path workload, and takes no edge to a part for a call', () => {
    const input = withClient();
    const clientErrors = input.series.find((s) => s.entity === 'client' && s.metric === 'errors');
    input.series = [...input.series, { ...(clientErrors as (typeof input.series)[number]), entity: 'client-pod' }];
    // The Service selects its Pod; a broad Service selects a's Pod (a selection, not a call).
    input.topology = [
      ...input.topology,
      { source: 'client', target: 'client-pod' },
      { source: 'broad', target: 'a-pod' },
    ];
    input.series = [...input.series, { ...(clientErrors as (typeof input.series)[number]), entity: 'broad' }];
    const workloadOf = new Map([
      ['client-pod', 'client'],
      ['a-pod', 'a'],
    ]);
    const a = analyseCase({ ...input, workloadOf });
    const errorsOf = (e: string) => a.moves[a.graph.index.get(e) as number].find((m) => m.metric === 'errors');
    expect(errorsOf('client')?.echoOf).toBe('a');
    expect(errorsOf('client-pod')?.echoOf).toBe('a');
    expect(errorsOf('broad')?.echoOf).toBeUndefined();
    // A caller whose own callers the graph may not list in full (live: the neighbourhood's edge) is not judged.
    const edge = analyseCase({ ...input, workloadOf, callersUnknown: new Set(['client', 'client-pod']) });
    expect(edge.moves[edge.graph.index.get('client') as number].every((m) => m.echoOf === undefined)).toBe(true);
  });

  it("counts a workload's parts as on the path when the workload is", () => {
    const input = withClient();
    // client is a part of workload a (a Pod and its Service): not a caller off the path.
    const a = analyseCase({ ...input, workloadOf: new Map([['client', 'a']]) });
    const client = a.moves[a.graph.index.get('client') as number];
    expect(client.every((m) => m.echoOf === undefined)).toBe(true);
  });
});
