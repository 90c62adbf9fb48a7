// The log checks over a stream, one verdict per line: known answers on small streams and scenario
// tests on the simulator (src/sim): nothing before a fault, the fault's own error lines after it.
import { describe, expect, it } from 'vitest';
import { type LineVerdict, LogCheckStream } from '../../src/logs/log-check-stream.js';
import type { LogLine } from '../../src/logs/template-windows.js';
import { type FaultType, simulate, upstreamOf } from '../../src/sim/index.js';
import { OWN_FAULT } from '../../src/sim/log-templates.js';

function run(lines: LogLine[], opts = {}): LineVerdict[] {
  const s = new LogCheckStream(opts);
  const out = lines.flatMap((l) => s.push(l));
  return [...out, ...s.end()];
}

const normal = (service: string, i: number): LogLine => ({
  timeMs: i * 1000,
  service,
  level: 'INFO',
  message: i % 3 ? `request ${i} served in ${i % 17} ms` : `cache hit for key user:${i}`,
});

/** Fifteen disk errors of service `a`, one a second from second `fromS`. */
const diskErrors = (fromS: number): LogLine[] =>
  Array.from({ length: 15 }, (_, k) => ({
    timeMs: (fromS + k) * 1000,
    service: 'a',
    level: 'ERROR',
    message: `disk ${k} failed: input/output error`,
  }));

describe('LogCheckStream', () => {
  it('answers every line once, in input order, across interleaved entities', () => {
    const lines = Array.from({ length: 301 }, (_, i) => normal(i % 2 ? 'a' : 'b', i));
    expect(run(lines).map((v) => v.line)).toEqual(lines.map((_, i) => i + 1));
  });

  it("keeps one service name in two namespaces apart: the history of one is not the other's", () => {
    const shop = (l: LogLine): LogLine => ({ ...l, namespace: 'shop' });
    const errors = diskErrors(300);
    // The disk errors are `default`'s usual lines (its first window), and new in `shop`.
    const lines = [
      ...diskErrors(0),
      ...Array.from({ length: 200 }, (_, i) => normal('a', 20 + i)),
      ...Array.from({ length: 200 }, (_, i) => shop(normal('a', 20 + i))),
      ...errors.map(shop),
    ];
    const flagged = run(lines, { windowLines: 20, flagLevels: 'error' }).filter((v) => v.anomalous);
    expect(flagged.map((v) => v.line)).toEqual(Array.from({ length: 15 }, (_, k) => 416 + k));
  });

  it('learns first: an error burst inside the first windows is history, later it is flagged', () => {
    const early = [...diskErrors(0), ...Array.from({ length: 200 }, (_, i) => normal('a', 20 + i))];
    const opts = { windowLines: 20, flagLevels: 'error' as const };
    expect(run(early, opts).filter((v) => v.anomalous)).toEqual([]);
    const late = [...Array.from({ length: 200 }, (_, i) => normal('a', i)), ...diskErrors(300)];
    const flagged = run(late, opts).filter((v) => v.anomalous);
    expect(flagged.map((v) => v.line)).toEqual(Array.from({ length: 15 }, (_, k) => 201 + k));
    expect(flagged[0].reason).toMatch(/^new-template: .* in a.*disk <\*> failed: input\/output error/);
  });

  it('does not flag lines of INFO level, however new their template, when only errors are flagged', () => {
    const lines = [
      ...Array.from({ length: 200 }, (_, i) => normal('a', i)),
      ...Array.from({ length: 30 }, (_, k) => ({ ...normal('a', 300 + k), message: `rebalancing shard ${k}` })),
    ];
    expect(run(lines, { flagLevels: 'error' }).filter((v) => v.anomalous)).toEqual([]);
  });

  it('by default (the simulator-chosen setting) leaves a new INFO-only template alone but flags an error burst', () => {
    const info = Array.from({ length: 30 }, (_, k) => ({ ...normal('a', 600 + k), message: `rebalancing shard ${k}` }));
    const errors = diskErrors(900);
    const lines = [
      ...Array.from({ length: 600 }, (_, i) => normal('a', i)),
      ...info,
      ...Array.from({ length: 270 }, (_, i) => normal('a', 630 + i)),
      ...errors,
      ...Array.from({ length: 100 }, (_, i) => normal('a', 915 + i)),
    ];
    const flagged = (opts = {}) =>
      run(lines, opts)
        .filter((v) => v.anomalous)
        .map((v) => v.line);
    const infoLines = info.map((_, k) => 601 + k);
    const errorLines = errors.map((_, k) => 901 + k);
    expect(flagged()).toEqual(errorLines);
    // Flagging every level names the INFO template too: the default is the stricter choice.
    expect(flagged({ flagLevels: 'all' })).toEqual([...infoLines, ...errorLines]);
  });

  it('lets the finding decide for lines without a level: a new template of level-less lines is flagged', () => {
    const bare = (l: LogLine): LogLine => ({ ...l, level: '' });
    const lines = [
      ...Array.from({ length: 600 }, (_, i) => bare(normal('a', i))),
      ...Array.from({ length: 30 }, (_, k) => bare({ ...normal('a', 600 + k), message: `rebalancing shard ${k}` })),
      ...Array.from({ length: 100 }, (_, i) => bare(normal('a', 630 + i))),
    ];
    const flagged = run(lines)
      .filter((v) => v.anomalous)
      .map((v) => v.line);
    expect(flagged).toEqual(Array.from({ length: 30 }, (_, k) => 601 + k));
  });

  it("pools a sparse entity's minutes into windows of at least minWindowLines, and judges them", () => {
    // One line every 5 minutes: no 60-s window could ever hold a burst; pooled windows can.
    const sparse = (i: number, level = 'INFO', message = `heartbeat ${i} ok`): LogLine => ({
      timeMs: i * 300_000,
      service: 'a',
      level,
      message,
    });
    const lines = [
      ...Array.from({ length: 200 }, (_, i) => sparse(i)),
      ...Array.from({ length: 20 }, (_, k) => sparse(200 + k, 'FATAL', `machine check interrupt on node ${k}`)),
    ];
    const flagged = run(lines).filter((v) => v.anomalous);
    expect(flagged.map((v) => v.line)).toEqual(Array.from({ length: 20 }, (_, k) => 201 + k));
    expect(run(lines, { minWindowLines: 0 }).filter((v) => v.anomalous)).toEqual([]);
  });

  it("windows by time when asked (the job's setting)", () => {
    const lines = Array.from({ length: 400 }, (_, i) => normal('a', i));
    expect(run(lines, { windowLines: 0, windowMs: 60_000 })).toHaveLength(400);
  });
});

const H = 3600;
const START = Date.UTC(2025, 0, 6, 8);
const FAULT_AT = 2.5 * H;

function simVerdicts(seed: number, fault?: { type: FaultType; target: string }) {
  const faults = fault ? [{ ...fault, startS: FAULT_AT, durationS: 900 }] : [];
  const sim = simulate({ system: 'online-boutique', seed, start: START, durationS: 3 * H, stepS: 60, faults });
  const records = [...sim.logs({ fromS: 0, toS: 3 * H })];
  const verdicts = run(
    records.map((r) => ({ timeMs: r.timeMs, service: r.service, level: r.level, message: r.message })),
  );
  return { sim, records, verdicts };
}

describe('LogCheckStream on simulated Online Boutique runs', () => {
  it('flags nothing on a fault-free run', () => {
    expect(simVerdicts(1).verdicts.filter((v) => v.anomalous)).toEqual([]);
  });

  it.each<[FaultType, string, boolean]>([
    // A crash writes one panic line per restart (no burst); its callers' errors are what bursts.
    ['pod-crash', 'productcatalogservice', false],
    ['error-return', 'currencyservice', true],
  ])('flags %s in %s after the fault, within the blast radius', (type, target, ownFlagged) => {
    const { sim, records, verdicts } = simVerdicts(3, { type, target });
    const own = new Set(OWN_FAULT[type].filter((t) => t.level === 'ERROR').map((t) => t.id));
    const radius = new Set([target, ...upstreamOf(sim.topology, target)]);
    const flagged = verdicts.filter((v) => v.anomalous).map((v) => records[v.line - 1]);
    expect(flagged.length).toBeGreaterThan(100);
    if (ownFlagged) expect(flagged.some((r) => r.service === target && own.has(r.templateId))).toBe(true);
    for (const r of flagged) {
      // A sparse entity's window pools minutes (at least 20 lines), so it may open a few minutes
      // before the fault: its lines of the bursting template are flagged with the burst.
      expect(r.timeMs).toBeGreaterThanOrEqual(START + (FAULT_AT - 10 * 60) * 1000);
      expect(radius).toContain(r.service);
    }
  });
});
