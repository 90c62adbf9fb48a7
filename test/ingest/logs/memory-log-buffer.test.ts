import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryLogBuffer } from '../../../src/ingest/logs/memory-log-buffer.js';
import type { LogLine } from '../../../src/logs/template-windows.js';

const line = (timeMs: number, i = 0): LogLine => ({ timeMs, service: 's', message: `m${i}` });

describe('MemoryLogBuffer', () => {
  it('property: any appends give the newest `capacity` lines, in time order, by half-open range', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 1_000 }), { maxLength: 30 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        async (batches, capacity, a, b) => {
          const buf = new MemoryLogBuffer(capacity);
          let all: LogLine[] = [];
          let n = 0;
          for (const times of batches) {
            const lines = times.map((t) => line(t, n++));
            buf.append(lines);
            all = [...all, ...lines].sort((x, y) => x.timeMs - y.timeMs).slice(-capacity);
          }
          const [from, to] = a <= b ? [a, b] : [b, a];
          const got = await buf.lines(from, to);
          expect(got).toEqual(all.filter((l) => l.timeMs >= from && l.timeMs < to));
        },
      ),
    );
  });

  it('takes a batch larger than the call stack allows to spread', async () => {
    const buf = new MemoryLogBuffer(1_000);
    buf.append(Array.from({ length: 300_000 }, (_, i) => line(i)));
    const kept = await buf.lines(0, Number.MAX_SAFE_INTEGER);
    expect(kept).toHaveLength(1_000);
    expect(kept[0].timeMs).toBe(299_000);
  });
});
