import { describe, expect, it } from 'vitest';
import { analyseCase, type RcaInput } from '../../src/rca/analyse-case.js';
import type { LogIn } from '../../src/rca/log-evidence.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { syntheticCase } from './helpers.js';

// syntheticCase: fe → {a, b}, a → c; 60 normal minutes, then 6 incident minutes.
const START = 1_000_000 + 60 * 60;

// Every service logs a stray warning now and then (noise); `failing` reports an error on every request
// in the incident window (hundreds of lines: a Poisson z in the hundreds).
// `grumbling` says a few new warnings in the window (a Poisson z near 10: log noise).
function withLogs(input: RcaInput, failing: string | null, grumbling: string | null = null): RcaInput {
  const logs: LogIn[] = [];
  for (let t = START - 3_600; t < START + 360; t += 60)
    for (const e of ['fe', 'a', 'b', 'c']) {
      if ((t / 60 + e.length) % 7 === 0)
        logs.push({ timestamp: t, entity: e, level: 'WARN', message: 'slow gc pause' });
      if (e === grumbling && t >= START && t < START + 120)
        for (let k = 0; k < 4; k++)
          logs.push({ timestamp: t + k, entity: e, level: 'WARN', message: `retrying connection ${k}` });
      if (e === failing && t >= START)
        for (let k = 0; k < 40; k++)
          logs.push({ timestamp: t + k, entity: e, level: 'ERROR', message: `order ${k} failed: bad price` });
    }
  return { ...input, logs };
}

describe('log evidence in the node evidence', () => {
  it('a fault seen only in the logs ranks first, over a node whose metrics wobble', () => {
    // b's latency wobbles (noise-sized), a (c's caller) slows a little as a victim; c's metrics are
    // flat but its logs fail.
    const a = analyseCase(withLogs(syntheticCase(3, { b: { latency: 2.5 }, a: { latency: 1.5 } }), 'c'));
    const ranked = rankRootCauses(a, defaultWeights(), { rng: seededRng(1) });
    expect(ranked[0].entity).toBe('c');
  });

  it('log noise does not outrank a clear metric move', () => {
    const a = analyseCase(withLogs(syntheticCase(3, { c: { latency: 6 } }), null, 'b'));
    expect(a.logs.get('b')?.score ?? 0).toBeGreaterThan(5);
    const ranked = rankRootCauses(a, defaultWeights(), { rng: seededRng(1) });
    expect(ranked[0].entity).toBe('c');
  });

  it('a service known only from its logs (no metrics, no call edge) is still a candidate', () => {
    // d writes logs but has no metric column and no topology edge: its failing logs alone must rank it.
    const base = syntheticCase(3, { b: { latency: 2.5 } });
    const logs: LogIn[] = [...(withLogs(base, null).logs ?? [])];
    for (let t = START - 3_600; t < START + 360; t += 60) {
      if ((t / 60) % 11 === 0) logs.push({ timestamp: t, entity: 'd', level: 'WARN', message: 'slow gc pause' });
      if (t >= START)
        for (let k = 0; k < 40; k++)
          logs.push({ timestamp: t + k, entity: 'd', level: 'ERROR', message: `order ${k} failed: bad price` });
    }
    const a = analyseCase({ ...base, logs });
    expect(a.graph.nodes).toContain('d');
    const ranked = rankRootCauses(a, defaultWeights(), { rng: seededRng(1) });
    expect(ranked[0].entity).toBe('d');
  });
});
