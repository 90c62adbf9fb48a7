import { describe, expect, it } from 'vitest';
import type { DetectorRun } from '../../src/detect/detect-series.js';
import { frontDoors } from '../../src/detect/call-topology.js';
import {
  anyOf,
  agree,
  candidatePolicies,
  choosePolicy,
  confirmedBy,
  DEFAULT_POLICY,
  ensembleVaeBudget,
  policyByName,
} from '../../src/detect/ensemble.js';
import { calibrateThresholds } from '../../src/detect/detector-model.js';
import { calibrateScoreThreshold, judgeScores, riskFor } from '../../src/detect/score-threshold.js';
import { spreadAlarms } from '../../src/detect/spread.js';

const u8 = (s: string) => Uint8Array.from(s, (c) => (c === '1' ? 1 : 0));
const run = (parts: Record<string, string>): DetectorRun => {
  const p = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, u8(v)]));
  return { detector: 'x', anomalies: [], parts: p, alarms: anyOf(...Object.values(p)), incidents: [] };
};

describe('spread along the topology', () => {
  it('needs connected alarmed entities, step by step', () => {
    const alarms = new Map([
      ['a', u8('1101')],
      ['b', u8('1001')],
      ['c', u8('0111')],
    ]);
    // a–b connected, c isolated; step 1: a and c alarm but are not connected
    expect(Array.from(spreadAlarms(alarms, [['a', 'b']], 4))).toEqual([1, 0, 0, 1]);
    expect(
      Array.from(
        spreadAlarms(
          alarms,
          [
            ['a', 'b'],
            ['b', 'c'],
          ],
          4,
          { minEntities: 3 },
        ),
      ),
    ).toEqual([0, 0, 0, 1]);
  });

  it('finds the front doors: services nobody calls', () => {
    expect(
      frontDoors(
        ['fe', 'cart', 'db', 'lonely'],
        [
          ['fe', 'cart'],
          ['cart', 'db'],
        ],
      ),
    ).toEqual(['fe']);
    expect(frontDoors(['x', 'y'], [])).toEqual(['x', 'y']);
  });
});

describe('ensemble policies', () => {
  it('confirms an alarm with another one on the same step or up to c steps before', () => {
    expect(Array.from(confirmedBy(u8('011011'), u8('100001'), 1))).toEqual([0, 1, 0, 0, 0, 1]);
    expect(Array.from(confirmedBy(u8('011011'), u8('100001'), 2))).toEqual([0, 1, 1, 0, 0, 1]);
  });

  it('pages on SLIs at once and on spreading only when the VAE agrees', () => {
    const p = policyByName('dspot.sli|dspot.spread&vae');
    const runs = new Map([
      ['dspot', run({ sli: '1000000', spread: '0011010' })],
      ['graph-lstm-vae', run({ system: '0001000', spread: '0000000' })],
    ]);
    expect(p.needs).toEqual(['dspot', 'graph-lstm-vae']);
    expect(Array.from(p.combine(runs))).toEqual([1, 0, 0, 1, 0, 0, 0]);
    expect(policyByName(DEFAULT_POLICY).name).toBe(DEFAULT_POLICY);
    expect(() => policyByName('nope')).toThrow(/unknown policy/);
    expect(new Set(candidatePolicies().map((c) => c.name)).size).toBe(candidatePolicies().length);
  });

  it('pages on two other cheap detectors agreeing on SLIs, but not on either alone', () => {
    const p = policyByName('ewma.sli|vae|dspot.sli&robust-z.sli');
    const runs = new Map([
      ['ewma', run({ sli: '0000000', spread: '1111111' })],
      ['dspot', run({ sli: '0110001', spread: '0000000' })],
      ['robust-z', run({ sli: '0011100', spread: '0000000' })],
      ['graph-lstm-vae', run({ system: '0000000', spread: '0000000' })],
    ]);
    expect(new Set(p.needs)).toEqual(new Set(['ewma', 'dspot', 'robust-z', 'graph-lstm-vae']));
    expect(Array.from(p.combine(runs))).toEqual([0, 0, 1, 1, 0, 0, 0]);
    expect(Array.from(agree(u8('1000'), u8('0010'), 1))).toEqual([0, 0, 0, 0]);
    expect(Array.from(agree(u8('1000'), u8('0010'), 2))).toEqual([0, 0, 1, 0]);
  });

  it('chooses the most incidents found within the budget, then fewer false, then faster', () => {
    const s = (name: string, found: number[], fpd: number[], delay: number) => ({
      name,
      found,
      falsePerDay: fpd,
      meanDelayS: delay,
    });
    const scores = [
      s('loud', [1, 1], [3, 0], 10),
      s('good', [0.9, 1], [0.5, 1], 50),
      s('good-quiet', [0.9, 1], [0.2, 0.2], 80),
      s('good-quiet-fast', [0.9, 1], [0.2, 0.2], 60),
      s('deaf', [0.2, 0.2], [0, 0], 0),
    ];
    expect(choosePolicy(scores, 1)?.name).toBe('good-quiet-fast');
    expect(choosePolicy(scores, 5)?.name).toBe('loud');
    expect(choosePolicy([s('loud', [1], [3], 1)], 1)).toBeUndefined();
  });
});

describe('budgeted score threshold', () => {
  it('turns a daily budget into a per-step risk', () => {
    expect(riskFor(1, 300, 1)).toBeCloseTo(300 / 86_400, 12);
    expect(riskFor(2, 60, 0.5)).toBeCloseTo(60 / 86_400, 12);
    expect(() => riskFor(0, 60)).toThrow();
  });

  it('gives the VAE inside an ensemble a share of the budget: stricter thresholds than alone', () => {
    const scores = (phase: number) =>
      Array.from({ length: 300 }, (_, i) => 5 + Math.sin(i * 0.37 + phase) + 0.4 * Math.sin(i * 2.3));
    const v = { system: scores(0), nodes: { a: scores(1), b: scores(2) } };
    expect(ensembleVaeBudget(1)).toBeGreaterThan(0);
    expect(ensembleVaeBudget(1)).toBeLessThan(1);
    const alone = calibrateThresholds(v, 1, 300);
    const shared = calibrateThresholds(v, ensembleVaeBudget(1), 300);
    expect(shared.system.q).toBeLessThan(alone.system.q);
    expect(shared.system.tail.z).toBeGreaterThanOrEqual(alone.system.tail.z);
    for (const n of ['a', 'b']) expect(shared.nodes[n].tail.z).toBeGreaterThanOrEqual(alone.nodes[n].tail.z);
  });

  it('alarms above the calibrated extreme quantile and keeps learning from normal scores after learnFrom', () => {
    const normal = Array.from({ length: 400 }, (_, i) => 5 + Math.sin(i * 0.37) + 0.5 * Math.sin(i * 1.9));
    const th = calibrateScoreThreshold(normal, 1e-3);
    expect(th.tail.z).toBeGreaterThan(Math.max(...normal));
    const stream = [...normal.slice(0, 50), th.tail.z * 2, 5];
    expect(Array.from(judgeScores(th, stream)).slice(50)).toEqual([1, 0]);
    expect(judgeScores(th, [NaN, NaN])).toEqual(new Uint8Array(2));
    expect(() => calibrateScoreThreshold([1, 2, 3], 1e-3)).toThrow(/at least 10/);
  });
});
