import { describe, expect, it } from 'vitest';
import { pickEntrySeries } from '../../src/rca/alarm-entry.js';
import type { MetricMove, SeriesIn } from '../../src/rca/metric-evidence.js';

const s = (entity: string, metric: string): SeriesIn => ({ entity, metric, values: new Float64Array(0) });
const moved = (metric: string, harm: number): MetricMove => ({ metric, z: harm, normal: 0, peak: harm, harm });

describe('pickEntrySeries', () => {
  const series = [
    s('fe', 'latency@a'),
    s('fe', 'latency@b'),
    s('fe', 'cpu'),
    s('db', 'latency'),
    s('fe', 'error_rate'),
  ];
  const moves = [
    moved('latency@a', 1),
    moved('latency@b', 9),
    moved('cpu', 30),
    moved('latency', 50),
    moved('error_rate', 20),
  ];

  it("takes the named alarm metric's replica that moved most when the entry has one column per replica", () => {
    const pick = pickEntrySeries({ series, incident: { entry: 'fe', entryMetric: 'latency' } }, 'fe', moves, 3);
    expect(pick?.metric).toBe('latency@b');
  });

  it('takes the exact column when there is one, and an anomalous SLI (never CPU) when none is named', () => {
    const exact = [...series, s('fe', 'latency')];
    const pick = pickEntrySeries(
      { series: exact, incident: { entry: 'fe', entryMetric: 'latency' } },
      'fe',
      [...moves, moved('latency', 0)],
      3,
    );
    expect(pick).toBe(exact[5]);
    expect(pickEntrySeries({ series, incident: { entry: 'fe' } }, 'fe', moves, 3)?.metric).toBe('error_rate');
  });
});
