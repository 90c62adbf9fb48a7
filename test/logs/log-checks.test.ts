import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectLogAnomalies, medianMad } from '../../src/logs/log-checks.js';
import { type LogLine, mineTemplateWindows, templateKey } from '../../src/logs/template-windows.js';
import type { TemplateMiner } from '../../src/logs/drain.js';
import { mulberry32 } from '../../src/util/seeded-random.js';

/** A seeded generator so every run is the same. */
const rng = mulberry32;

const MIN = 60_000;
const NORMAL: Array<[string, (r: () => number) => string]> = [
  ['INFO', (r) => `request complete id=${Math.floor(r() * 1e6)} took ${Math.floor(r() * 300)} ms`],
  ['INFO', (r) => `cache hit for key user:${Math.floor(r() * 1e4)}`],
  [
    'DEBUG',
    (r) =>
      `GET /api/items/${Math.floor(r() * 500)} from 10.0.${Math.floor(r() * 9)}.${Math.floor(r() * 250)}:${40000 + Math.floor(r() * 9999)}`,
  ],
  ['WARN', (r) => `slow query on orders took ${(r() * 3).toFixed(2)} s`],
];
const BACKGROUND_ERROR = (r: () => number) => `transient error talking to redis attempt ${Math.floor(r() * 3)}`;
const INJECTED = (r: () => number) =>
  `failed to charge card: connection refused to payments at 10.1.2.${Math.floor(r() * 250)}:8443`;

/** Steady traffic with a daily-like swing; optionally an error burst in one service. */
function generate(seed: number, minutes: number, burst?: { service: string; from: number; to: number }): LogLine[] {
  const r = rng(seed);
  const out: LogLine[] = [];
  for (let m = 0; m < minutes; m++) {
    for (const service of ['checkout', 'cart', 'frontend']) {
      const volume = Math.round(150 * (1 + 0.4 * Math.sin((2 * Math.PI * m) / 240)) * (0.9 + 0.2 * r()));
      for (let k = 0; k < volume; k++) {
        const [level, render] = NORMAL[Math.floor(r() * r() * NORMAL.length)];
        out.push({ timeMs: m * MIN + Math.floor(r() * MIN), service, level, message: render(r) });
      }
      if (r() < 0.15) out.push({ timeMs: m * MIN + 1, service, level: 'ERROR', message: BACKGROUND_ERROR(r) });
      if (burst && service === burst.service && m >= burst.from && m < burst.to) {
        for (let k = 0; k < 40; k++) out.push({ timeMs: m * MIN + k, service, level: 'ERROR', message: INJECTED(r) });
      }
    }
  }
  return out.sort((a, b) => a.timeMs - b.timeMs);
}

/** Mines the first `baseMinutes` as baseline and the rest as current, with the same miners. */
function check(lines: LogLine[], baseMinutes: number) {
  const miners = new Map<string, TemplateMiner>();
  const baseline = mineTemplateWindows(
    lines.filter((l) => l.timeMs < baseMinutes * MIN),
    { windowMs: MIN, miners },
  );
  const current = mineTemplateWindows(
    lines.filter((l) => l.timeMs >= baseMinutes * MIN),
    { windowMs: MIN, miners },
  );
  return detectLogAnomalies({ baseline: baseline.windows, current: current.windows, templates: current.templates });
}

describe('detectLogAnomalies', () => {
  it('finds an injected error-template burst, in the right service and windows, with its text as evidence', () => {
    const found = check(generate(7, 180, { service: 'cart', from: 150, to: 155 }), 120);
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((a) => a.service))).toEqual(new Set(['cart']));
    const bursts = found.filter((a) => a.kind === 'error-burst');
    expect(bursts.map((a) => a.start / MIN)).toEqual([150, 151, 152, 153, 154]);
    for (const b of bursts)
      expect(b.evidence[0]).toMatch(/^failed to charge card: connection refused to payments at <\*>$/);
    const fresh = found.filter((a) => a.kind === 'new-template');
    expect(fresh.map((a) => a.start / MIN)).toEqual([150]);
  });

  it('raises nothing on steady logs with a traffic swing (property over seeds)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => {
        expect(check(generate(seed, 180), 120)).toEqual([]);
      }),
      { numRuns: 5 },
    );
  });

  it('reports a template that collapses or surges as a frequency deviation', () => {
    const lines = generate(11, 180).filter(
      (l) => !(l.service === 'frontend' && l.timeMs >= 160 * MIN && l.message.startsWith('request complete')),
    );
    const found = check(lines, 120);
    expect(found.length).toBeGreaterThan(0);
    for (const a of found) {
      expect(a.kind).toBe('template-frequency');
      expect(a.service).toBe('frontend');
      expect(a.start).toBeGreaterThanOrEqual(160 * MIN);
      expect(a.evidence[0]).toBe('request complete id=<*> took <*>'); // `ms` is a unit and joins the number
    }
  });

  it('needs enough baseline before it says anything', () => {
    expect(check(generate(3, 30, { service: 'cart', from: 2, to: 30 }), 2)).toEqual([]);
  });
});

describe('medianMad', () => {
  it('known answers', () => {
    expect(medianMad(Float64Array.of(1, 2, 3, 4, 100))).toEqual({ median: 3, mad: 1 });
    expect(medianMad(Float64Array.of(4, 1, 3, 2))).toEqual({ median: 2.5, mad: 1 });
    expect(medianMad(new Float64Array(0))).toEqual({ median: 0, mad: 0 });
  });
});

describe('mineTemplateWindows', () => {
  it('counts lines per service, window and template, and errors separately', () => {
    const lines: LogLine[] = [
      { timeMs: 5, service: 'a', level: 'INFO', message: 'user 1 logged in' },
      { timeMs: 59_999, service: 'a', level: 'error', message: 'disk 3 full' },
      { timeMs: 60_000, service: 'a', level: 'INFO', message: 'user 2 logged in' },
      { timeMs: 10, service: 'b', message: 'user 3 logged in' },
    ];
    const { windows, templates } = mineTemplateWindows(lines, { windowMs: 60_000 });
    expect(windows.map((w) => [w.service, w.start, w.total, w.errors])).toEqual([
      ['a', 0, 2, 1],
      ['a', 60_000, 1, 0],
      ['b', 0, 1, 0],
    ]);
    expect(windows[0].counts).toEqual(
      new Map([
        ['1', 1],
        ['2', 1],
      ]),
    );
    expect([...templates.values()].map((t) => [t.service, t.text, t.size])).toEqual([
      ['a', 'user <*> logged in', 2],
      ['a', 'disk <*> full', 1],
      ['b', 'user <*> logged in', 1],
    ]);
  });
});

describe('mineTemplateWindows across namespaces and clusters', () => {
  it('mines one service name in two namespaces as two services; absent placement is `default`', () => {
    const lines: LogLine[] = [
      { timeMs: 5, service: 'cart', namespace: 'shop', cluster: 'eu1', message: 'disk 3 full' },
      { timeMs: 6, service: 'cart', namespace: 'outlet', cluster: 'eu1', message: 'user 1 logged in' },
      { timeMs: 7, service: 'cart', namespace: 'shop', cluster: 'eu1', message: 'disk 4 full' },
      { timeMs: 8, service: 'cart', message: 'user 2 logged in' },
      { timeMs: 9, service: 'cart', namespace: 'default', cluster: 'default', message: 'user 3 logged in' },
    ];
    const { windows, templates } = mineTemplateWindows(lines, { windowMs: 60_000 });
    expect(windows.map((w) => [w.cluster, w.namespace, w.service, w.total])).toEqual([
      [undefined, undefined, 'cart', 2],
      ['eu1', 'outlet', 'cart', 1],
      ['eu1', 'shop', 'cart', 2],
    ]);
    // Each service's miner numbers its own templates from 1.
    expect(templates.get(templateKey({ service: 'cart', namespace: 'shop', cluster: 'eu1' }, '1'))?.text).toBe(
      'disk <*> full',
    );
    expect(templates.get(templateKey({ service: 'cart', namespace: 'outlet', cluster: 'eu1' }, '1'))?.size).toBe(1);
    expect(templates.get(templateKey({ service: 'cart' }, '1'))?.size).toBe(2);
  });

  it('finds a burst only on the service it happened to, not on its namesake elsewhere', () => {
    const at =
      (namespace: string) =>
      (l: LogLine): LogLine => ({ ...l, namespace });
    const quiet = generate(11, 70);
    const loud = generate(11, 70, { service: 'checkout', from: 65, to: 70 });
    const found = check([...quiet.map(at('outlet')), ...loud.map(at('shop'))], 60);
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((a) => `${a.namespace}/${a.service}`))).toEqual(new Set(['shop/checkout']));
  });
});
