import { describe, expect, it } from 'vitest';
import { analyseCase, type RcaInput } from '../../src/rca/analyse-case.js';
import { pseudoSplits, quietHarm } from '../../src/rca/noise-floor.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { splitWindow } from '../../src/rca/windows.js';

const N = 31,
  T0 = 1_000_000,
  START = T0 + 20 * 60;
const timestamps = Float64Array.from({ length: N }, (_, i) => T0 + i * 60);

describe('pseudo-incidents cut from normal operation', () => {
  it('are blocks of normal rows, each judged against the other normal rows only', () => {
    const split = splitWindow(timestamps, START);
    const ps = pseudoSplits(split);
    expect(ps.length).toBe(3);
    const normal = new Set(split.normal);
    for (const p of ps) {
      expect(p.anomalous.length).toBeGreaterThanOrEqual(3);
      expect([...p.anomalous, ...p.normal].every((r) => normal.has(r))).toBe(true);
      expect(p.anomalous.some((r) => p.normal.includes(r))).toBe(false);
      expect(p.normal.length + p.anomalous.length).toBe(split.normal.length);
    }
  });

  it('a flat series makes no quiet-time evidence; one that jumps about in normal operation does', () => {
    const split = splitWindow(timestamps, START);
    const flat = { entity: 'a', metric: 'cpu', values: new Float64Array(N).fill(1) };
    // Quiet, but for a burst in the last normal rows: the pseudo-incident that holds it sees it.
    const jumpy = {
      entity: 'b',
      metric: 'cpu',
      values: Float64Array.from({ length: N }, (_, i) => (i >= 13 && i < 16 ? 5 : 1) + (i % 3) * 0.1),
    };
    const q = quietHarm([flat, jumpy], split);
    expect(q[0]).toBe(0);
    expect(q[1]).toBeGreaterThan(3);
  });
});

describe('an entity with many noisy series', () => {
  // svc's one metric steps up in the incident; the VM has 150 series of pure noise and no fault.
  function noisyVmCase(): RcaInput {
    const rng = seededRng(11);
    // Noise with now-and-then bursts of two high readings (3 % of rows), in normal operation and in the
    // incident window alike: among 150 such series some burst in the window by chance.
    const noise = (base: number) => {
      const v = Float64Array.from({ length: N }, () => base * (1 + (rng() - 0.5) * 0.1));
      for (let i = 0; i + 1 < N; i++)
        if (rng() < 0.03) {
          v[i] += base * 0.5;
          v[i + 1] += base * 0.5;
        }
      return v;
    };
    const svc = Float64Array.from({ length: N }, (_, i) => {
      const t = timestamps[i];
      return 1 + (rng() - 0.5) * 0.2 + (t >= START ? 0.35 : 0);
    });
    return {
      timestamps,
      series: [
        { entity: 'svc', metric: 'cpu_usage', values: svc },
        { entity: 'db', metric: 'cpu_usage', values: noise(1) },
        ...Array.from({ length: 150 }, (_, k) => ({ entity: 'vm1', metric: `node_m${k}`, values: noise(10 + k) })),
      ],
      topology: [{ source: 'svc', target: 'db' }],
      incident: { start: START },
    };
  }

  it('does not outrank a workload that moved, by the chance maximum of its noise', () => {
    const a = analyseCase(noisyVmCase());
    const ranked = rankRootCauses(a, defaultWeights(), { rng: seededRng(1) });
    expect(ranked[0].entity).toBe('svc');
  });
});
