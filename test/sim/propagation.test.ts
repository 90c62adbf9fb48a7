import { describe, expect, it } from 'vitest';
import {
  OWN_METRIC,
  SYMPTOMATIC_FAULT_TYPES,
  simulate,
  upstreamOf,
  type FaultType,
  type SimOptions,
  type SimRun,
} from '../../src/sim/index.js';

const START = Date.UTC(2024, 2, 5, 8); // a Tuesday morning
const FAULT_START_S = 3_600;
const base: SimOptions = {
  system: 'online-boutique',
  seed: 11,
  start: START,
  durationS: 3 * 3_600,
  stepS: 30,
  faults: [],
};

// A different target per type, so every part of the call graph gets exercised.
const TARGET: Record<Exclude<FaultType, 'wrong-return'>, string> = {
  'cpu-hog': 'cartservice',
  'memory-leak': 'adservice',
  'network-delay': 'productcatalogservice',
  'packet-loss': 'paymentservice',
  'pod-crash': 'currencyservice',
  'error-return': 'paymentservice',
  'config-change': 'cartservice',
  'dependency-timeout': 'shippingservice',
};

const series = (run: SimRun, key: string): Float64Array => {
  const s = run.metrics.series.get(key);
  if (!s) throw new Error(`no series ${key}`);
  return s.values;
};

/** First step at which `faulty` departs from `normal` in the way `metric` is judged, or Infinity. */
function firstMove(metric: string, faulty: Float64Array, normal: Float64Array): number {
  for (let i = 0; i < faulty.length; i++) {
    const a = faulty[i],
      b = normal[i];
    const moved =
      metric === 'error_rate'
        ? a - b > 0.01
        : metric === 'restarts'
          ? a - b >= 1
          : metric === 'memory_usage'
            ? a > 1.1 * b
            : a > 1.3 * b;
    if (moved) return i;
  }
  return Infinity;
}

const callerMove = (f: SimRun, n: SimRun, svc: string): number =>
  Math.min(
    firstMove('latency_p99', series(f, `${svc}|latency_p99`), series(n, `${svc}|latency_p99`)),
    firstMove('error_rate', series(f, `${svc}|error_rate`), series(n, `${svc}|error_rate`)),
  );

describe('fault propagation on Online Boutique', () => {
  const normal = simulate(base);
  const firstStep = FAULT_START_S / base.stepS;

  for (const type of SYMPTOMATIC_FAULT_TYPES) {
    it(`${type}: the target moves first, callers follow, unrelated services are untouched`, () => {
      const target = TARGET[type as keyof typeof TARGET];
      const run = simulate({ ...base, faults: [{ type, target, startS: FAULT_START_S, durationS: 2_400 }] });
      const own = OWN_METRIC[type];
      const tOwn = firstMove(own, series(run, `${target}|${own}`), series(normal, `${target}|${own}`));
      expect(tOwn).toBeGreaterThanOrEqual(firstStep);
      expect(tOwn).toBeLessThan(firstStep + 2_400 / base.stepS);

      const callers = run.topology.edges.filter((e) => e.target === target).map((e) => e.source);
      const moves = callers.map((c) => callerMove(run, normal, c));
      // At least one direct caller feels it, and none before the target's own signal.
      expect(Math.min(...moves)).toBeLessThan(Infinity);
      for (const t of moves) expect(t).toBeGreaterThan(tOwn);

      const affected = new Set([target, ...upstreamOf(run.topology, target)]);
      for (const s of run.topology.services) {
        if (affected.has(s.name)) continue;
        for (const m of ['latency_p50', 'latency_p99', 'error_rate', 'cpu_usage', 'memory_usage', 'request_rate']) {
          const a = series(run, `${s.name}|${m}`);
          const b = series(normal, `${s.name}|${m}`);
          let lo = Infinity,
            hi = -Infinity;
          for (const v of b) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
          for (const v of a) {
            expect(v).toBeGreaterThanOrEqual(lo);
            expect(v).toBeLessThanOrEqual(hi);
          }
        }
      }
      expect(run.truth.faults[0].affectedServices).toContain(target);
      expect(run.truth.faults[0].alertFingerprints.length).toBeGreaterThan(0);
    });
  }

  it('wrong-return: the target fails nothing and gets faster, the callees it skips lose traffic, the rest is untouched', () => {
    // PlaceOrder keeps its first 4 calls and skips the other 5 in half its requests: payment, shipping
    // (ShipOrder), cart (EmptyCart → redis-cart), currency (one Convert) and email lose traffic.
    const run = simulate({
      ...base,
      faults: [{ type: 'wrong-return', target: 'checkoutservice', startS: FAULT_START_S, durationS: 2_400 }],
    });
    const during = (r: SimRun, key: string) => {
      const v = series(r, key).slice(firstStep + 2, firstStep + 2_400 / base.stepS);
      return v.reduce((x, y) => x + y, 0) / v.length;
    };
    expect(during(run, 'checkoutservice|latency_p50')).toBeLessThan(
      0.9 * during(normal, 'checkoutservice|latency_p50'),
    );
    // It sends fewer calls: its outgoing bytes fall while its own requests hold.
    expect(during(run, 'checkoutservice|network_transmit')).toBeLessThan(
      0.9 * during(normal, 'checkoutservice|network_transmit'),
    );
    const requests = during(run, 'checkoutservice|request_rate') / during(normal, 'checkoutservice|request_rate');
    expect(Math.abs(requests - 1)).toBeLessThan(0.1);
    expect(during(run, 'checkoutservice|error_rate')).toBeLessThanOrEqual(
      during(normal, 'checkoutservice|error_rate') + 0.001,
    );
    // paymentservice and emailservice are called only by the skipped calls: half their traffic goes.
    for (const svc of ['paymentservice', 'emailservice']) {
      const ratio = during(run, `${svc}|request_rate`) / during(normal, `${svc}|request_rate`);
      expect(ratio, svc).toBeGreaterThan(0.4);
      expect(ratio, svc).toBeLessThan(0.6);
      expect(during(run, `${svc}|cpu_usage`), svc).toBeLessThan(during(normal, `${svc}|cpu_usage`));
    }
    // Nothing fails anywhere, and what the target neither calls late nor is called by does not move.
    for (const s of run.topology.services)
      expect(during(run, `${s.name}|error_rate`), s.name).toBeLessThanOrEqual(
        during(normal, `${s.name}|error_rate`) + 0.002,
      );
    const reach = new Set(run.truth.faults[0].affectedServices);
    for (const svc of [
      'paymentservice',
      'emailservice',
      'shippingservice',
      'redis-cart',
      'frontend',
      'checkoutservice',
    ])
      expect(reach, svc).toContain(svc);
    for (const svc of ['adservice', 'recommendationservice']) {
      expect(reach, svc).not.toContain(svc);
      expect(series(run, `${svc}|request_rate`)).toEqual(series(normal, `${svc}|request_rate`));
    }
    // Before the fault the run is the fault-free one, step for step.
    expect(series(run, 'paymentservice|request_rate').slice(0, firstStep)).toEqual(
      series(normal, 'paymentservice|request_rate').slice(0, firstStep),
    );
    // Traces: PlaceOrder still calls cartservice every time, but paymentservice in about half its spans.
    const inFault = [...run.traces({ fromS: FAULT_START_S + 60, toS: FAULT_START_S + 2_400 })];
    const orders = inFault.flatMap((t) =>
      t.spans
        .filter((s) => s.service === 'checkoutservice' && s.operation.endsWith('/PlaceOrder'))
        .map((s) => ({ s, t })),
    );
    const calls = (svc: string) =>
      orders.filter(({ s, t }) => t.spans.some((c) => c.parentSpanId === s.spanId && c.service === svc)).length /
      orders.length;
    expect(orders.length).toBeGreaterThan(30);
    expect(calls('cartservice')).toBe(1);
    expect(calls('paymentservice')).toBeGreaterThan(0.3);
    expect(calls('paymentservice')).toBeLessThan(0.7);
    expect(run.truth.faults[0].alertFingerprints).toEqual([]);
  });

  it('two concurrent faults: both targets move, each incident gets its own alerts', () => {
    const run = simulate({
      ...base,
      faults: [
        { type: 'cpu-hog', target: 'cartservice', startS: FAULT_START_S, durationS: 1_800 },
        { type: 'error-return', target: 'paymentservice', startS: FAULT_START_S + 600, durationS: 1_800 },
      ],
    });
    expect(firstMove('cpu_usage', series(run, 'cartservice|cpu_usage'), series(normal, 'cartservice|cpu_usage'))).toBe(
      firstStep,
    );
    expect(
      firstMove('error_rate', series(run, 'paymentservice|error_rate'), series(normal, 'paymentservice|error_rate')),
    ).toBe(firstStep + 20);
    const [f0, f1] = run.truth.faults;
    expect(f0.alertFingerprints.length).toBeGreaterThan(0);
    expect(f1.alertFingerprints.length).toBeGreaterThan(0);
    const byIncident = (k: number) => run.alerts.filter((a) => a.incident === k).map((a) => a.labels.service);
    expect(byIncident(0)).toContain('cartservice');
    expect(byIncident(1)).toContain('paymentservice');
    expect(byIncident(0)).not.toContain('paymentservice');
  });

  it('two concurrent faults: an alert both could explain by distance goes to the one that raises it alone', () => {
    // frontend calls both cartservice and adservice (one hop each); only the CPU hog on adservice slows it.
    const run = simulate({
      ...base,
      faults: [
        { type: 'pod-crash', target: 'cartservice', startS: FAULT_START_S, durationS: 1_800 },
        { type: 'cpu-hog', target: 'adservice', startS: FAULT_START_S + 120, durationS: 1_800 },
      ],
    });
    const frontend = (name: string) =>
      run.alerts.filter((a) => a.labels.service === 'frontend' && a.labels.alertname === name && a.incident !== null);
    expect(frontend('HighRequestLatency').length).toBeGreaterThan(0);
    expect(new Set(frontend('HighRequestLatency').map((a) => a.incident))).toEqual(new Set([1]));
    expect(new Set(frontend('HighErrorRate').map((a) => a.incident))).toEqual(new Set([0]));
  });

  it('seasonality: the load follows a daily cycle, quieter at night and at weekends', () => {
    const day = simulate({ ...base, start: Date.UTC(2024, 2, 5, 0), durationS: 86_400 * 7, stepS: 600, noise: false });
    const rate = series(day, 'frontend|request_rate');
    const at = (dayIndex: number, hour: number) => rate[(dayIndex * 86_400 + hour * 3_600) / 600];
    expect(at(0, 15)).toBeGreaterThan(1.5 * at(0, 3)); // Tuesday afternoon vs night
    expect(at(3, 15)).toBeGreaterThan(1.15 * at(4, 15)); // Saturday 2024-03-09 is quieter than Friday
  });
});
