import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Intake } from '../../src/ingest/durable/intake.js';
import { BufferMetricSource } from '../../src/metrics/buffer-metric-source.js';
import { SampleStore, type SampleKey } from '../../src/metrics/sample-store.js';

const openBuffer = (intake: Intake, capacity: number) =>
  BufferMetricSource.open(new SampleStore(intake.openDB<number, SampleKey>('metric-samples')!), { capacity });

describe('the metric buffer kept in a SampleStore', () => {
  it('starts again with exactly the samples it held, the ring’s drops included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-samples-'));
    const first = Intake.open(dir);
    const buffer = openBuffer(first, 5);
    const samples = Array.from({ length: 8 }, (_, i) => ({ entity: 'svc:cart', metric: 'cpu', t: 60 * i, v: i }));
    buffer.push(samples);
    buffer.push([{ entity: 'svc:cart', metric: 'cpu', t: 420, v: 70 }]); // replaces the last one
    buffer.push([{ entity: 'svc:web', metric: 'rps', t: 0, v: 3 }]);
    const query = { from: 0, to: 420, stepS: 60 };
    const before = await buffer.query(query);
    await first.close();

    const second = Intake.open(dir);
    const again = openBuffer(second, 5);
    expect(await again.query(query)).toEqual(before);
    expect(Array.from(before[0].values).filter((v) => !Number.isNaN(v))).toEqual([3, 4, 5, 6, 70]);
    const stored = [...new SampleStore(second.openDB<number, SampleKey>('metric-samples')!).all()];
    expect(stored.filter((s) => s.entity === 'svc:cart').map((s) => s.t)).toEqual([180, 240, 300, 360, 420]);
    await second.close();
  });
});
