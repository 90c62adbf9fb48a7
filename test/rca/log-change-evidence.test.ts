import { describe, expect, it } from 'vitest';
import { scoreChanges } from '../../src/rca/change-evidence.js';
import { scoreLogs, type LogIn } from '../../src/rca/log-evidence.js';

const START = 100_000;

describe('log evidence', () => {
  it('a new error template and a surging one score; a steady one does not', () => {
    const logs: LogIn[] = [];
    for (let t = START - 7_200; t < START + 600; t += 60) {
      // steady: one error a minute before and after
      logs.push({ timestamp: t, entity: 'steady', level: 'ERROR', message: `retrying request ${t}` });
      // surging: one every 10 min before, six a minute after
      if (t < START && t % 600 === 0)
        logs.push({ timestamp: t, entity: 'surging', level: 'error', message: 'pool exhausted after 30 ms' });
      if (t >= START)
        for (let k = 0; k < 6; k++)
          logs.push({ timestamp: t + k, entity: 'surging', level: 'error', message: `pool exhausted after ${k} ms` });
      // new: never before the start, then every minute
      if (t >= START)
        logs.push({ timestamp: t, entity: 'new', level: 'FATAL', message: `charge failed for order ${t}` });
      // info lines never count
      logs.push({ timestamp: t, entity: 'chatty', level: 'INFO', message: `served ${t}` });
    }
    const ev = scoreLogs(logs, START);
    expect(ev.get('surging')?.score ?? 0).toBeGreaterThan(5);
    expect(ev.get('new')?.score ?? 0).toBeGreaterThan(5);
    expect(ev.get('steady')?.score ?? 0).toBeLessThan(2);
    expect(ev.has('chatty')).toBe(false);
    expect(ev.get('new')?.templates[0].template).toBe('charge failed for order <*>');
  });
});

describe('change evidence', () => {
  it('a change right before the start scores near 1, an hour-old one near 0, a later one not at all', () => {
    const ev = scoreChanges(
      [
        { entity: 'fresh', at: START - 60, description: 'rollout v2' },
        { entity: 'old', at: START - 3_500, description: 'config edit' },
        { entity: 'late', at: START + 3_600, description: 'scale up' },
      ],
      START,
    );
    expect(ev.get('fresh')?.score).toBeGreaterThan(0.95);
    expect(ev.get('old')?.score).toBeLessThan(0.05);
    expect(ev.has('late')).toBe(false);
  });
});
