import { describe, expect, it } from 'vitest';
import { InProcessRunner } from '../../jobs/in-process-runner.js';
import { InputError, RootgraphError } from '../../src/errors.js';
import { RetryLaterError } from '../../src/errors.js';
import { waitFor } from './flow-fixture.js';

const batch = (source: string) => ({ source, batch: { nodes: [], edges: [] } });
const settled = (r: InProcessRunner, id: string) =>
  waitFor(
    async () => {
      const j = await r.job('ingest', id);
      return j && (j.state === 'completed' || j.state === 'failed') ? j : undefined;
    },
    10_000,
    `job ${id}`,
  );

describe('InProcessRunner', () => {
  it('retries transient failures with backoff, then completes', async () => {
    const r = new InProcessRunner({ backoffMs: 5 });
    let calls = 0;
    r.process('ingest', async () => {
      if (++calls < 3) throw new RootgraphError('UNAVAILABLE', 'graph down');
      return 'ok';
    });
    const j = await settled(r, await r.enqueue('ingest', batch('a')));
    expect(j).toMatchObject({ state: 'completed', attempts: 3, result: 'ok' });
    await r.close();
  });

  it('fails bad input at once with a readable reason; the job stays visible and can be retried', async () => {
    const r = new InProcessRunner({ backoffMs: 5 });
    let calls = 0;
    r.process('ingest', async () => {
      calls++;
      if (calls === 1) throw new InputError('batch › nodes.0', 'no uid');
      return 'fixed';
    });
    const id = await r.enqueue('ingest', batch('b'));
    const j = await settled(r, id);
    expect(j).toMatchObject({ state: 'failed', attempts: 1 });
    expect(j.failedReason).toMatch(/INPUT_INVALID: batch › nodes\.0: no uid/);
    expect((await r.failed()).map((f) => f.id)).toEqual([id]);
    expect(await r.retry(id)).toBe(true);
    expect(await settled(r, id)).toMatchObject({ state: 'completed', result: 'fixed' });
    expect(await r.retry('nope')).toBe(false);
    await r.close();
  });

  it('rejects an invalid payload when enqueued, and gives up after the last attempt', async () => {
    const r = new InProcessRunner({ backoffMs: 1, attempts: 2 });
    await expect(r.enqueue('rca', { incident: 0, revision: 1 })).rejects.toThrow(/rca job › incident/);
    r.process('ingest', async () => {
      throw new Error('ECONNRESET');
    });
    expect(await settled(r, await r.enqueue('ingest', batch('c')))).toMatchObject({
      state: 'failed',
      attempts: 2,
      failedReason: 'ECONNRESET',
    });
    await r.close();
  });

  it('puts a rate-limited job back without using an attempt; same content is one job', async () => {
    const r = new InProcessRunner({ backoffMs: 1_000, attempts: 1 });
    let calls = 0;
    r.process('ingest', async (_d, ctx) => {
      if (++calls < 3) throw new RetryLaterError(5, 'busy');
      await ctx.progress(100);
      return calls;
    });
    const id = await r.enqueue('ingest', batch('d'));
    expect(await r.enqueue('ingest', batch('d'))).toBe(id);
    expect(await settled(r, id)).toMatchObject({ state: 'completed', attempts: 1, result: 3, progress: 100 });
    const [s] = await r.stats(['ingest']);
    expect(s).toMatchObject({ completed: 1, failed: 0, waiting: 0 });
    await r.close();
  });

  it('runs a schedule until unscheduled, and close waits for the running job', async () => {
    const r = new InProcessRunner();
    const seen: number[] = [];
    r.process('logcheck', async (d) => {
      seen.push(d.windowMs);
      await new Promise((res) => setTimeout(res, 50));
    });
    await r.schedule('logcheck', 'every', 20, { windowMs: 60_000, baselineMs: 600_000 });
    await waitFor(async () => (seen.length >= 2 ? true : undefined), 5_000, 'two scheduled runs');
    expect((await r.stats(['logcheck']))[0].schedules).toBe(1);
    expect(await r.unschedule('logcheck', 'every')).toBe(true);
    await r.close({ timeoutMs: 2_000 });
    const [s] = await r.stats(['logcheck']);
    expect(s.active).toBe(0);
  });
});
