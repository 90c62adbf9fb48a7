import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { planSuite, servedServices, simulate, suiteTruth, topologyFor, type SimOptions } from '../../src/sim/index.js';

const base: SimOptions = {
  system: 'online-boutique',
  seed: 5,
  start: Date.UTC(2024, 2, 5, 9),
  durationS: 3 * 3_600,
  stepS: 60,
  faults: [],
  traceRatePerS: 0.05,
  logsPerRequest: 0.001,
  noise: false,
};

function values(opts: SimOptions, key: string): number[] {
  return [...simulate(opts).metrics.series.get(key)!.values];
}

// Mean over steps [from, to) of a series.
function mean(v: number[], from: number, to: number): number {
  const part = v.slice(from, to).filter(Number.isFinite);
  return part.reduce((s, x) => s + x, 0) / part.length;
}

describe('harder simulated suites', () => {
  it('passes the severity to every fault and keeps the default suite unchanged without it', () => {
    const plain = planSuite({ seeds: [1], targetsPerFault: 1 });
    for (const c of plain) {
      expect(c.options.faults.length, c.name).toBe(1);
      expect('severity' in c.options.faults[0], c.name).toBe(false);
      expect('noiseScale' in c.options, c.name).toBe(false);
    }
    const weak = planSuite({ seeds: [1], targetsPerFault: 1, severity: 0.3 });
    expect(weak.map((c) => c.name)).toEqual(plain.map((c) => c.name));
    for (const c of weak) expect(c.options.faults[0].severity, c.name).toBe(0.3);
  });

  it('adds one harmless change on another served service, starting with the fault or up to 4 minutes after', () => {
    const cases = planSuite({ seeds: [1, 2], targetsPerFault: 2, distractors: true });
    const served = servedServices(topologyFor({ system: 'online-boutique', seed: 1 }));
    const truth = suiteTruth(cases);
    const types = new Set<string>();
    for (const c of cases) {
      const [fault, extra, ...more] = c.options.faults;
      expect(more, c.name).toEqual([]);
      expect(extra.target, c.name).not.toBe(fault.target);
      expect(served.has(extra.target), c.name).toBe(true);
      expect(extra.startS - fault.startS, c.name).toBeGreaterThanOrEqual(0);
      expect(extra.startS - fault.startS, c.name).toBeLessThanOrEqual(240);
      expect(truth[c.name].entity).toBe(fault.target);
      types.add(`${extra.type}@${extra.severity}`);
    }
    expect(types).toEqual(new Set(['memory-leak@0.3', 'cpu-hog@0.15']));
  });

  it('leaves every case as it was without distractors: same names, halves, starts and fault', () => {
    const plain = planSuite({ seeds: [1, 2], targetsPerFault: 2 });
    const withExtra = planSuite({ seeds: [1, 2], targetsPerFault: 2, distractors: true });
    const strip = (cs: typeof plain) =>
      cs.map((c) => ({ name: c.name, part: c.part, start: c.options.start, fault: c.options.faults[0] }));
    expect(strip(withExtra)).toEqual(strip(plain));
  });

  it('a distractor alone barely moves what the front end serves; the fault it stands beside does', () => {
    const window = (f: SimOptions['faults'][number]): SimOptions => ({ ...base, faults: [f] });
    const at = { startS: 7_200, durationS: 1_200 };
    const from = 7_200 / 60 + 2,
      to = 8_400 / 60;
    const normal = mean(values(base, 'frontend|latency_p50'), from, to);
    const p50 = (f: SimOptions['faults'][number]) => mean(values(window(f), 'frontend|latency_p50'), from, to);
    // Memory that grows short of GC pressure slows nothing; a batch job's sixth of a CPU adds queueing.
    expect(p50({ type: 'memory-leak', target: 'productcatalogservice', severity: 0.3, ...at })).toBeCloseTo(normal, 6);
    expect(p50({ type: 'cpu-hog', target: 'productcatalogservice', severity: 0.15, ...at }) / normal).toBeLessThan(1.1);
    expect(p50({ type: 'network-delay', target: 'productcatalogservice', ...at }) / normal).toBeGreaterThan(1.5);
  });

  it('scales the step-to-step jitter of latency and CPU by noiseScale', () => {
    // Spread of the log-ratio between consecutive steps, over a fault-free run.
    const jitter = (noiseScale: number, key: string): number => {
      const v = values({ ...base, noiseScale }, key);
      const d = v.slice(1).map((x, i) => Math.log(x / v[i]));
      const m = d.reduce((s, x) => s + x, 0) / d.length;
      return Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / d.length);
    };
    for (const key of ['checkoutservice|latency_p50', 'checkoutservice|cpu_usage']) {
      // Linear in the scale: four times the jitter at 4, next to none at 0.
      expect(jitter(4, key) / jitter(1, key), key).toBeGreaterThan(3.5);
      expect(jitter(4, key) / jitter(1, key), key).toBeLessThan(4.5);
      expect(jitter(0, key) / jitter(1, key), key).toBeLessThan(0.05);
    }
    expect(() => simulate({ ...base, noiseScale: -1 })).toThrow(InputError);
    expect(() => simulate({ ...base, noiseScale: 1e3 })).toThrow(/noiseScale: expected a number from 0 to 20/);
  });

  it.each([Number.NaN, -0.5, 0])('rejects a fault severity of %s, naming the fault', (severity) => {
    const fault = { type: 'cpu-hog' as const, target: 'cartservice', startS: 600, durationS: 600 };
    expect(() => simulate({ ...base, faults: [fault, { ...fault, severity }] })).toThrow(/faults\[1\]\.severity/);
  });
});
