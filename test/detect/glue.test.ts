import { describe, expect, it } from 'vitest';
import { anomalyUid, toAnomalyBatch } from '../../src/detect/anomaly.js';
import { alarmsToEvents } from '../../src/detect/events.js';
import { declareIncidents } from '../../src/detect/incident-rule.js';
import { planReplay } from '../../src/detect/plan.js';
import { emptyTally, summarise, tallyRun } from '../../src/detect/eval-metrics.js';
import { uids } from '../../src/model/uid.js';

describe('events and incidents', () => {
  it('merges alarm runs across one quiet step', () => {
    expect(alarmsToEvents([0, 1, 1, 0, 1, 0, 0, 1], 1)).toEqual([
      { start: 1, end: 4 },
      { start: 7, end: 7 },
    ]);
  });

  it('declares on 2 of 3, closes after quiet steps, and resets at a break', () => {
    const a = [1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1];
    expect(declareIncidents(a, { k: 2, m: 3, quiet: 3 })).toEqual([
      { firstAlarm: 3, declaredAt: 4, lastAlarm: 4 },
      { firstAlarm: 8, declaredAt: 10, lastAlarm: 11 },
    ]);
    expect(declareIncidents([1, 1, 1, 1], { k: 2, m: 3, quiet: 9, breaks: [2] })).toEqual([
      { firstAlarm: 0, declaredAt: 1, lastAlarm: 1 },
      { firstAlarm: 2, declaredAt: 3, lastAlarm: 3 },
    ]);
  });
});

describe('anomalies to the graph', () => {
  it('maps each anomaly to an Anomaly node FOUND_ON its entity, idempotently', () => {
    const a = { entity: 'cart', metric: 'latency_p99', start: 100, end: 160, score: 7, detector: 'spot' };
    const b = toAnomalyBatch([a, { ...a, metric: 'cpu' }], { observedAt: 5 });
    expect(b.nodes.filter((n) => n.label === 'Anomaly')).toHaveLength(2);
    expect(b.edges[0]).toEqual({
      type: 'FOUND_ON',
      from: anomalyUid(a),
      to: uids.service('cart'),
      props: { metric: 'latency_p99' },
    });
    expect(b.nodes.find((n) => n.uid === uids.service('cart'))?.label).toBe('Service');
    expect(toAnomalyBatch([a])).toEqual(toAnomalyBatch([a]));
  });
});

describe('replay plan', () => {
  it('replays a later normal day first, then the incident segment', () => {
    const ts = Float64Array.from([100, 160, 220, 10_000, 10_060, 10_120, 10_180]);
    const p = planReplay(ts, 160);
    expect(p.order).toEqual([3, 4, 5, 6, 0, 1, 2]);
    expect(p.history).toBe(4);
    expect(p.breaks).toEqual([4]);
  });
});

describe('evaluation measures', () => {
  it('counts event and point hits by hand', () => {
    const t = emptyTally();
    // fault at steps 10..14; incidents declared at 11 (true) and 30 (false); alarms at 11, 12, 30
    const alarms = new Uint8Array(40);
    alarms[11] = alarms[12] = alarms[30] = 1;
    tallyRun(
      t,
      {
        incidents: [
          { firstAlarm: 11, declaredAt: 11, lastAlarm: 12 },
          { firstAlarm: 30, declaredAt: 30, lastAlarm: 30 },
        ],
        alarms,
        judgedFrom: 5,
        faults: [{ start: 10, end: 14 }],
        stepS: 60,
      },
      2,
    );
    const s = summarise(t);
    expect(s.eventPrecision).toBe(0.5);
    expect(s.eventRecall).toBe(1);
    expect(s.meanDelayS).toBe(60);
    // points: tp 2, fp 1, fn 3 → P 2/3, R 2/5 → F1 = 0.5
    expect(s.pointF1).toBeCloseTo(0.5, 12);
    expect(s.falseIncidentsPerDay).toBeCloseTo(86_400 / (35 * 60), 12);
  });
});
