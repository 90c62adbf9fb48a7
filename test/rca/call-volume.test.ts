import { describe, expect, it } from 'vitest';
import { buildBehaviourGraph } from '../../src/rca/behaviour-graph.js';
import { callVolume, trailingRatio } from '../../src/rca/call-volume.js';
import type { CallDrop } from '../../src/rca/call-drops.js';
import { lastingFall, scoreSeries, type SeriesIn } from '../../src/rca/metric-evidence.js';
import { CALL_SHARE_METRIC } from '../../src/model/metric-semantics.js';
import { createRng } from '../../src/sim/rng.js';
import { splitWindow } from '../../src/rca/windows.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { ownStateEvidence } from '../../src/rca/node-evidence.js';
import { readWritten, simCaseFiles, topEntities } from '../cases/helpers/sim-case.js';
import { steppedSeries, syntheticCase } from './helpers.js';

const OPTS = { anomalousZ: 3, explainCorr: 0.7, explainedShare: 0.2, corroborateZ: 2 };
const STEP = 30;
const N = 240; // two hours at 30 s
const START = 1_700_000_000 + 200 * STEP; // the last 40 rows are the incident

/**
 * frontend → checkout → email, frontend → cart: request rates with noise; every callee's CPU follows its
 * requests. From the start, `emailShare` of checkout's requests still reach email; `sli` raises one
 * entity's latency from the start, `silent` stops its latency series, `restarts` restarts it;
 * `replicas` writes one entity's requests as two replica columns; `traffic` scales every request rate
 * from the start (upstream load); `blip`'s CPU dips for one sample of the incident, `spike`'s jumps.
 */
function system(
  o: {
    emailShare?: number;
    sli?: string;
    silent?: string;
    restarts?: string;
    replicas?: string;
    callersUnknown?: string[];
    topology?: Array<[string, string]>;
    traffic?: number;
    blip?: string;
    spike?: string;
  } = {},
) {
  const rng = createRng(7, 'call-volume-test');
  const timestamps = Float64Array.from({ length: N }, (_, t) => START - 200 * STEP + t * STEP);
  const inFault = (t: number) => timestamps[t] >= START;
  const noisy = (level: number) => level * (1 + 0.05 * (rng.next() * 2 - 1));
  const series: SeriesIn[] = [];
  const add = (entity: string, metric: string, f: (t: number) => number) =>
    series.push({ entity, metric, values: Float64Array.from({ length: N }, (_, t) => f(t)) });
  const front = Array.from({ length: N }, (_, t) => noisy(50 * (inFault(t) ? (o.traffic ?? 1) : 1)));
  const checkout = front.map((v) => noisy(v * 0.1));
  const email = checkout.map((v, t) => noisy(v * (inFault(t) ? (o.emailShare ?? 1) : 1)));
  const cart = front.map((v) => noisy(v * 0.5));
  const rates: Record<string, number[]> = { frontend: front, checkout, email, cart };
  for (const [entity, r] of Object.entries(rates)) {
    if (o.replicas === entity) {
      add(entity, 'request_rate@a1', (t) => r[t] * 0.4);
      add(entity, 'request_rate@b2', (t) => r[t] * 0.6);
    } else add(entity, 'request_rate', (t) => r[t]);
    const once = (t: number) => (t !== N - 20 ? 1 : o.blip === entity ? 0.5 : o.spike === entity ? 10 : 1);
    add(entity, 'cpu_usage', (t) => noisy(0.01 + r[t] * 0.002) * once(t));
    add(entity, 'latency_p99', (t) =>
      o.silent === entity && inFault(t) ? Number.NaN : noisy(o.sli === entity && inFault(t) ? 0.4 : 0.1),
    );
    add(entity, 'restarts', (t) => (o.restarts === entity && inFault(t) ? 3 : 0));
  }
  const topology = (
    o.topology ?? [
      ['frontend', 'checkout'],
      ['checkout', 'email'],
      ['frontend', 'cart'],
    ]
  ).map(([source, target]) => ({ source, target }));
  const graph = buildBehaviourGraph({ entities: Object.keys(rates), topology });
  const split = splitWindow(timestamps, START);
  const rows = Int32Array.from([...split.normal, ...split.anomalous]).sort();
  const moves = series.map((s) => scoreSeries(s, split));
  const hosts = new Uint8Array(graph.nodes.length);
  const callersUnknown = new Set(o.callersUnknown ?? []);
  const result = callVolume({ series, moves, graph, hosts, split, rows, callersUnknown }, OPTS);
  const at = (entity: string, metric: string) => series.findIndex((s) => s.entity === entity && s.metric === metric);
  const shareOf = (entity: string, metric: string) => result.share[at(entity, metric)];
  const blamed = (entity: string, metric: string) => result.explainedBy[at(entity, metric)];
  const derivedHarm = (caller: string) =>
    Math.max(0, ...result.derived.filter((s) => s.entity === caller).map((s) => scoreSeries(s, split)?.harm ?? 0));
  return { result, shareOf, blamed, derivedHarm, input: { timestamps, series, topology, incident: { start: START } } };
}

describe('trailingRatio', () => {
  it('divides trailing sums, skipping rows where either side is unknown', () => {
    const num = Float64Array.from([1, 2, Number.NaN, 4, 6]);
    const den = Float64Array.from([2, 2, 5, 4, 0]);
    expect([...trailingRatio(num, den, 2)]).toEqual([0.5, 0.75, 1, 1, 2.5]);
  });

  it('is unknown where the denominator sums to nothing', () => {
    const r = trailingRatio(Float64Array.from([1, 1]), Float64Array.from([0, 0]), 1);
    expect(r.every(Number.isNaN)).toBe(true);
  });
});

describe('call volume per request: a caller that stopped making calls', () => {
  it("blames the caller whose callee lost half its requests while the caller's held, and explains the callee's load", () => {
    const { shareOf, blamed, derivedHarm } = system({ emailShare: 0.5 });
    expect(derivedHarm('checkout')).toBeGreaterThan(OPTS.anomalousZ);
    for (const m of ['request_rate', 'cpu_usage']) {
      expect(shareOf('email', m)).toBe(OPTS.explainedShare);
      expect(blamed('email', m)).toBe('checkout');
    }
    // Its latency is not load: it stays its own.
    expect(shareOf('email', 'latency_p99')).toBe(1);
    // The other callees kept their calls.
    expect(shareOf('cart', 'request_rate')).toBe(1);
    expect(derivedHarm('frontend')).toBeLessThan(OPTS.anomalousZ);
  });

  it("marks the callee's explained moves with the caller that calls it less, through the analysis", () => {
    const a = analyseCase(system({ emailShare: 0.5 }).input);
    const email = a.moves[a.graph.index.get('email') as number];
    expect(email.find((m) => m.metric === 'request_rate')?.lessCalledBy).toBe('checkout');
    expect(email.find((m) => m.metric === 'latency_p99')?.lessCalledBy).toBeUndefined();
  });

  it('names the callee on the move, for the card', () => {
    const { result } = system({ emailShare: 0.5 });
    expect(result.derivedMoves.find((m) => m.harm >= OPTS.anomalousZ)?.of).toBe('email');
  });

  it("sums a callee's replica columns (`request_rate@<pod>`) into its load", () => {
    const { shareOf, derivedHarm } = system({ emailShare: 0.5, replicas: 'email' });
    expect(derivedHarm('checkout')).toBeGreaterThan(OPTS.anomalousZ);
    expect(shareOf('email', 'cpu_usage')).toBe(OPTS.explainedShare);
  });

  it("explains a callee's load falls by a caller its traces show calling it less, whatever the request metrics", () => {
    const { series, topology } = system({ emailShare: 0.5 }).input;
    // Without request series the metric route has nothing to divide; the traces' drop still explains.
    const noRequests = series.filter((s) => s.metric !== 'request_rate');
    const graph = buildBehaviourGraph({ entities: ['frontend', 'checkout', 'email', 'cart'], topology });
    const timestamps = system().input.timestamps;
    const split = splitWindow(timestamps, START);
    const rows = Int32Array.from([...split.normal, ...split.anomalous]).sort();
    const moves = noRequests.map((s) => scoreSeries(s, split));
    const hosts = new Uint8Array(graph.nodes.length);
    const drop = (caller: string, z: number) => ({
      caller,
      callee: 'email',
      operation: 'op',
      z,
      normal: 1,
      window: 0.5,
    });
    const run = (...callDrops: CallDrop[]) =>
      callVolume({ series: noRequests, moves, graph, hosts, split, rows, callDrops }, OPTS);
    const cpu = noRequests.findIndex((s) => s.entity === 'email' && s.metric === 'cpu_usage');
    const latency = noRequests.findIndex((s) => s.entity === 'email' && s.metric === 'latency_p99');
    expect(moves[cpu]!.z).toBeLessThan(-3);
    const judged = run(drop('checkout', 6));
    expect(judged.explainedBy[cpu]).toBe('checkout');
    expect(judged.share[cpu]).toBe(OPTS.explainedShare);
    expect(judged.explainedBy[latency]).toBeNull(); // an SLI is not load
    expect(judged.corroborated.map((d) => d.caller)).toEqual(['checkout']); // the fall adds to a 6
    // A drop beyond the anomaly margin stands on its own, whatever the corroboration level is set to.
    const strict = callVolume(
      { series: noRequests, moves, graph, hosts, split, rows, callDrops: [drop('checkout', 3.5)] },
      { ...OPTS, corroborateZ: 4 },
    );
    expect(strict.explainedBy[cpu]).toBe('checkout');
    // A drop below the corroboration level explains nothing, whatever the callee's fall.
    const weak = run(drop('checkout', 1.5));
    expect(weak.explainedBy[cpu]).toBeNull();
    expect(weak.corroborated).toEqual([]);
    // Within the anomaly margin, email's own fall confirms it: explained, and the caller's evidence
    // is the two combined (Stouffer's z, the fall capped at twice the margin).
    const confirmed = run(drop('checkout', 2));
    expect(confirmed.explainedBy[cpu]).toBe('checkout');
    const fall = Math.min(lastingFall(noRequests[cpu].values, split), 2 * OPTS.anomalousZ);
    expect(confirmed.corroborated).toEqual([{ ...drop('checkout', 2), z: (2 + fall) / Math.SQRT2 }]);
    // Of two callers that call it less, the larger drop is named.
    const two = run(drop('frontend', 4), drop('checkout', 9));
    expect(two.explainedBy[cpu]).toBe('checkout');
  });

  /** callVolume on `system(o)` with only the traces' drops, and the index of email's CPU series. */
  const withDrops = (o: Parameters<typeof system>[0], callDrops: CallDrop[], requests = true) => {
    const { input } = system(o);
    // Without request series, a callee's fall is read from its own load series, not per caller request.
    if (!requests) input.series = input.series.filter((x) => !x.metric.startsWith('request_rate'));
    const graph = buildBehaviourGraph({
      entities: ['frontend', 'checkout', 'email', 'cart'],
      topology: input.topology,
    });
    const split = splitWindow(input.timestamps, START);
    const rows = Int32Array.from([...split.normal, ...split.anomalous]).sort();
    const moves = input.series.map((s) => scoreSeries(s, split));
    const hosts = new Uint8Array(graph.nodes.length);
    const result = callVolume({ series: input.series, moves, graph, hosts, split, rows, callDrops }, OPTS);
    const cpu = input.series.findIndex((s) => s.entity === 'email' && s.metric === 'cpu_usage');
    return { result, moves, cpu };
  };
  const dropOf = (z: number, window: number): CallDrop => ({
    caller: 'checkout',
    callee: 'email',
    operation: 'op',
    z,
    normal: 1,
    window,
  });

  it("does not explain a failing callee's falls by a caller the traces show calling it less (a breaker opened)", () => {
    const { result, moves, cpu } = withDrops({ emailShare: 0.5, silent: 'email' }, [dropOf(9, 0.5)]);
    expect(moves[cpu]!.z).toBeLessThan(-3);
    expect(result.explainedBy[cpu]).toBeNull();
  });

  it('takes no weak trace drop on a callee whose load held: the two signs must agree', () => {
    const { result } = withDrops({}, [dropOf(2.9, 0.7)]);
    expect(result.corroborated).toEqual([]);
    expect(result.explainedBy.every((b) => b === null)).toBe(true);
  });

  it("takes no weak trace drop on one sample's dip in the callee's load: a skipped call lasts", () => {
    const { result, moves, cpu } = withDrops({ blip: 'email' }, [dropOf(2.1, 0.8)], false);
    expect(moves[cpu]!.z).toBeLessThan(-2 * OPTS.anomalousZ); // deep, but one sample
    expect(result.corroborated).toEqual([]);
    expect(result.explainedBy.every((b) => b === null)).toBe(true);
  });

  it("takes a weak trace drop on a callee's load that halved, one sample's spike notwithstanding", () => {
    const { result, moves, cpu } = withDrops({ emailShare: 0.5, spike: 'email' }, [dropOf(2.1, 0.8)], false);
    expect(moves[cpu]!.z).toBeGreaterThan(OPTS.anomalousZ); // the spike is the move's peak
    expect(result.corroborated.map((d) => d.caller)).toEqual(['checkout']);
  });

  it("takes a weak trace drop when the callee's requests per caller request fell", () => {
    const { result } = withDrops({ emailShare: 0.5, traffic: 0.9 }, [dropOf(2.1, 0.8)]);
    expect(result.corroborated.map((d) => d.caller)).toEqual(['checkout']);
  });

  it("takes no weak trace drop when the caller's own requests fell as far (traffic fell upstream)", () => {
    const { result, moves, cpu } = withDrops({ traffic: 0.5 }, [dropOf(2.1, 0.8)]);
    expect(moves[cpu]!.harm).toBeGreaterThan(OPTS.anomalousZ); // email's load fell, for lasting
    expect(result.corroborated).toEqual([]);
    expect(result.explainedBy.every((b) => b === null)).toBe(true);
  });

  it('judges nothing without a fall: the same system with every call kept', () => {
    const { result, derivedHarm } = system();
    expect(derivedHarm('checkout')).toBeLessThan(OPTS.anomalousZ);
    expect(result.share.every((s) => s === 1)).toBe(true);
  });

  it('does not blame a caller whose own SLI is anomalous (it may be failing the calls, not skipping them)', () => {
    const { result } = system({ emailShare: 0.5, sli: 'checkout' });
    expect(result.derived.some((s) => s.entity === 'checkout')).toBe(false);
    expect(result.share.every((s) => s === 1)).toBe(true);
  });

  it('does not blame a caller with a failing service below it (calls given up because of it)', () => {
    const { result } = system({ emailShare: 0.5, sli: 'email' });
    expect(result.derived.some((s) => s.entity === 'checkout')).toBe(false);
    expect(result.share.every((s) => s === 1)).toBe(true);
  });

  it("explains a callee's fall by its caller cut short by another call failing, without blaming the caller", () => {
    const topology: Array<[string, string]> = [
      ['frontend', 'checkout'],
      ['checkout', 'email'],
      ['checkout', 'cart'],
    ];
    const { result, shareOf, blamed } = system({ emailShare: 0.5, sli: 'cart', topology });
    expect(result.derived.some((s) => s.entity === 'checkout')).toBe(false);
    expect(shareOf('email', 'request_rate')).toBe(OPTS.explainedShare);
    expect(blamed('email', 'request_rate')).toBe('checkout');
    // The failing call is not explained: its own SLI moved.
    expect(shareOf('cart', 'request_rate')).toBe(1);
    // The same fall with its caller's other call healthy is the caller's own doing: blamed.
    expect(system({ emailShare: 0.5, topology }).result.derived.some((s) => s.entity === 'checkout')).toBe(true);
  });

  it('does not blame the caller of a callee that went silent (a crash writes no latency) or restarted', () => {
    for (const trouble of [{ silent: 'email' }, { restarts: 'email' }]) {
      const { result } = system({ emailShare: 0.5, ...trouble });
      expect(result.derived.some((s) => s.entity === 'checkout')).toBe(false);
      expect(result.share.every((s) => s === 1)).toBe(true);
    }
  });

  it('does not judge a callee whose callers the graph may not list in full (live: the edge of the read)', () => {
    const { result } = system({ emailShare: 0.5, callersUnknown: ['email'] });
    expect(result.derived.some((s) => s.entity === 'checkout')).toBe(false);
    expect(result.share.every((s) => s === 1)).toBe(true);
    // The same through the analysis, as the live RCA input hands it over.
    const { input } = system({ emailShare: 0.5 });
    const callShare = (a: ReturnType<typeof analyseCase>) =>
      a.moves[a.graph.index.get('checkout') as number].some((m) => m.metric === CALL_SHARE_METRIC);
    expect(callShare(analyseCase(input))).toBe(true);
    expect(callShare(analyseCase({ ...input, callersUnknown: new Set(['email']) }))).toBe(false);
  });

  it('judges a caller that skips every call: the callee gets no requests, so its latency has no samples', () => {
    const { derivedHarm, shareOf } = system({ emailShare: 0, silent: 'email' });
    expect(derivedHarm('checkout')).toBeGreaterThan(OPTS.anomalousZ);
    expect(shareOf('email', 'cpu_usage')).toBe(OPTS.explainedShare);
  });

  it('does not guess between two callers', () => {
    const { result } = system({
      emailShare: 0.5,
      topology: [
        ['frontend', 'checkout'],
        ['checkout', 'email'],
        ['frontend', 'email'],
        ['frontend', 'cart'],
      ],
    });
    expect(result.derived.some((s) => s.metric === CALL_SHARE_METRIC && s.entity === 'checkout')).toBe(false);
    expect(result.share.every((s) => s === 1)).toBe(true);
  });
});

describe('a wrong return value with too few traces to see it: the simulator', () => {
  it('ranks checkoutservice first from its callees’ request rates alone', async () => {
    // Sparse traces (0.2 a second) leave PlaceOrder a handful of spans: the call-pattern shift cannot
    // judge it, and its callees' falls in CPU and traffic led the ranking before.
    const c = await readWritten(
      simCaseFiles({ type: 'wrong-return', target: 'checkoutservice' }, 1, { traceRatePerS: 0.2, logs: false }),
    );
    expect(topEntities(c, 1)).toEqual(['checkoutservice']);
  });
});

describe('calls per request as own state', () => {
  const move = (metric: string, harm: number) => ({ metric, z: -harm, normal: 1, peak: 0.5, harm });
  const base = { nodes: ['checkout'], index: new Map([['checkout', 0]]), logs: new Map(), traceShift: null };
  const values = new Float64Array(3);

  it('raises an own state other series made known, and does not make an unknown one known', () => {
    const alone = ownStateEvidence({
      ...base,
      series: [{ entity: 'checkout', metric: CALL_SHARE_METRIC, values }],
      moves: [move(CALL_SHARE_METRIC, 0.5)],
      quiet: [0],
    });
    expect(alone).toEqual([null]);
    const withCpu = ownStateEvidence({
      ...base,
      series: [
        { entity: 'checkout', metric: 'cpu_usage', values },
        { entity: 'checkout', metric: CALL_SHARE_METRIC, values },
      ],
      moves: [move('cpu_usage', 0.2), move(CALL_SHARE_METRIC, 7)],
      quiet: [0, 1],
    });
    expect(withCpu).toEqual([6]);
  });
});

describe('network volume as own state', () => {
  const move = (metric: string, harm: number) => ({ metric, z: -harm, normal: 1, peak: 0.5, harm });
  const base = { nodes: ['c'], index: new Map([['c', 0]]), logs: new Map(), traceShift: null };
  const values = new Float64Array(3);
  const bytesFell = {
    ...base,
    series: [{ entity: 'c', metric: 'network_transmit_bytes', values }],
    moves: [move('network_transmit_bytes', 8)],
    quiet: [1],
  };

  it('counts bytes that moved while the requests held steady (a delay or loss on its link)', () => {
    expect(ownStateEvidence({ ...bytesFell, trafficSteady: [1] })).toEqual([7]);
  });

  it('leaves them to its callers when its traffic moved too, or is not measured', () => {
    expect(ownStateEvidence({ ...bytesFell, trafficSteady: [0] })).toEqual([null]);
    expect(ownStateEvidence(bytesFell)).toEqual([null]);
  });

  it('reads steady traffic from the request series of a case', () => {
    const input = syntheticCase(5, { fe: { latency: 30 }, a: { latency: 30 } });
    input.series = [
      ...input.series,
      steppedSeries(input, 'c', 'request_rate', 50, 0),
      steppedSeries(input, 'c', 'network_transmit_bytes', 1000, -400),
      steppedSeries(input, 'b', 'request_rate', 50, -30),
      steppedSeries(input, 'b', 'network_transmit_bytes', 1000, -400),
    ];
    const a = analyseCase(input);
    const own = (e: string) => a.ownState?.[a.graph.index.get(e) as number] ?? null;
    expect(own('c')).toBeGreaterThan(3);
    expect(own('b') ?? 0).toBeLessThan(1);
  });
});
