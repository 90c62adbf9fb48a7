import { describe, expect, it } from 'vitest';
import { createEwma } from '../../src/detect/ewma.js';
import { createRobustZ } from '../../src/detect/robust-z.js';
import { runStreaming } from '../../src/detect/streaming.js';

describe('robust z-score', () => {
  it('scores against the median and MAD of the window before the point, by hand', () => {
    const d = createRobustZ({ window: 5, warmup: 5 });
    for (const x of [1, 2, 3, 4, 100]) d.step(x);
    // window 1 2 3 4 100: median 3, |dev| 2 1 0 1 97 → MAD 1, scale 1.4826
    const v = d.step(9);
    expect(v.score).toBeCloseTo(6 / 1.4826, 10);
    expect(v.alarm).toBe(true);
  });

  it('ignores missing samples and does not alarm during warm-up', () => {
    const v = runStreaming(createRobustZ({ warmup: 4 }), [1, NaN, 1, 1, 50]);
    expect([...v.alarms]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('EWMA', () => {
  it('follows the recursion m += a(x − m), v = (1 − a)(v + a(x − m)²), by hand', () => {
    const d = createEwma({ alpha: 0.5, warmup: 1, threshold: Infinity });
    d.step(0); // m = 0
    d.step(2); // a = 0.5: m = 1, v = 0.5·(0 + 0.5·4) = 1
    const v = d.step(4); // |4 − 1| / 1
    expect(v.score).toBeCloseTo(3, 12);
  });

  it('alarms on a level shift and learns an alarmed point only slowly', () => {
    const xs = Array.from({ length: 60 }, (_, i) => 10 + (i % 2 ? 0.1 : -0.1)).concat([30, 30, 30]);
    const v = runStreaming(createEwma(), xs);
    expect([...v.alarms.slice(60)]).toEqual([1, 1, 1]);
    expect(v.alarms.slice(0, 60).reduce((a, b) => a + b, 0)).toBe(0);
  });
});
