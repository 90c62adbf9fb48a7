/** BullMQ on the real Redis: workers die, Redis restarts, many workers share the work. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BullmqRunner } from '../../../jobs/workers/bullmq-runner.js';
import { REDIS_URL } from '../../helpers/services.js';
import { waitFor } from '../../jobs/flow-fixture.js';
import { startWorker, stopWorker, useTestRedis, type ChildWorker } from './fixtures/redis-test-kit.js';

const batch = (source: string) => ({ source, batch: { nodes: [], edges: [] } });

const kit = useTestRedis();

function producer(name: string): BullmqRunner {
  return new BullmqRunner({ redisUrl: REDIS_URL, prefix: kit.prefix(name), onError: () => {} });
}

describe('BullMQ workers on the real Redis', () => {
  it('a worker killed with SIGKILL mid-job: another worker takes the job and it completes once', async () => {
    const runner = producer('kill');
    const workers: ChildWorker[] = [];
    try {
      const a = startWorker({ prefix: runner.prefix, name: 'A', lockMs: 1_000, stalledMs: 500 });
      workers.push(a);
      await a.ready;
      const id = await runner.enqueue('ingest', batch('slow-1'));
      await waitFor(
        async () => ((await kit.redis().hget(`${runner.prefix}:test:starts`, 'slow-1')) === '1' ? true : undefined),
        20_000,
        'worker A to start the job',
      );
      a.proc.kill('SIGKILL');
      await a.exited;
      expect((await runner.job('ingest', id))?.state).toBe('active'); // still locked by the dead worker
      const b = startWorker({ prefix: runner.prefix, name: 'B', lockMs: 1_000, stalledMs: 500 });
      workers.push(b);
      await b.ready;
      const done = await waitFor(
        async () => {
          const j = await runner.job('ingest', id);
          return j?.state === 'completed' ? j : undefined;
        },
        30_000,
        'the job to complete on worker B',
      );
      expect(done.result).toEqual({ source: 'slow-1', by: 'B' });
      expect(await kit.redis().hget(`${runner.prefix}:test:starts`, 'slow-1')).toBe('2');
      expect(await kit.redis().hget(`${runner.prefix}:test:done`, 'slow-1')).toBe('1');
    } finally {
      for (const w of workers) await stopWorker(w);
      await runner.close();
    }
  });

  it('1,000 jobs across 3 worker processes: each done exactly once, by all three', async () => {
    const runner = producer('thousand');
    const workers = ['W1', 'W2', 'W3'].map((name) => startWorker({ prefix: runner.prefix, name, concurrency: 4 }));
    try {
      await Promise.all(workers.map((w) => w.ready));
      const ids = new Set<string>();
      for (let i = 0; i < 1_000; i += 100) {
        const chunk = await Promise.all(
          Array.from({ length: 100 }, (_, k) => runner.enqueue('ingest', batch(`ms-2-${i + k}`))),
        );
        chunk.forEach((id) => ids.add(id));
      }
      expect(ids.size).toBe(1_000);
      await waitFor(
        async () => ((await kit.redis().hlen(`${runner.prefix}:test:done`)) >= 1_000 ? true : undefined),
        90_000,
        '1,000 completions',
      );
      // BullMQ marks a job completed just after its processor returns: wait for the queue to settle too.
      await waitFor(
        async () => {
          const [s] = await runner.stats(['ingest']);
          return s.completed + s.failed >= 1_000 && s.active === 0 ? true : undefined;
        },
        30_000,
        'the queue to settle',
      );
      const done = await kit.redis().hgetall(`${runner.prefix}:test:done`);
      expect(Object.keys(done)).toHaveLength(1_000);
      expect(Object.values(done).every((n) => n === '1')).toBe(true);
      const by = await kit.redis().hgetall(`${runner.prefix}:test:by`);
      expect(Object.keys(by).sort()).toEqual(['W1', 'W2', 'W3']);
      expect(Object.values(by).reduce((s, n) => s + Number(n), 0)).toBe(1_000);
      const [stats] = await runner.stats(['ingest']);
      expect(stats).toMatchObject({ waiting: 0, active: 0, failed: 0, completed: 1_000 });
    } finally {
      for (const w of workers) await stopWorker(w);
      await runner.close();
    }
  });

  it('Redis restarted during a run: workers reconnect and no job is lost', async () => {
    const runner = producer('restart');
    const workers = ['R1', 'R2'].map((name) => startWorker({ prefix: runner.prefix, name, concurrency: 2 }));
    try {
      await Promise.all(workers.map((w) => w.ready));
      await Promise.all(Array.from({ length: 200 }, (_, i) => runner.enqueue('ingest', batch(`ms-20-${i}`))));
      await waitFor(
        async () => ((await kit.redis().hlen(`${runner.prefix}:test:done`)) >= 20 ? true : undefined),
        30_000,
        'the first completions',
      );
      execFileSync('bash', ['scripts/services.sh', 'down', 'redis'], { stdio: 'ignore' });
      execFileSync('bash', ['scripts/services.sh', 'up', 'redis'], { stdio: 'ignore' });
      const before = await kit.redis().hlen(`${runner.prefix}:test:done`);
      expect(before).toBeLessThan(200); // the restart happened mid-run
      await waitFor(
        async () => ((await kit.redis().hlen(`${runner.prefix}:test:done`)) >= 200 ? true : undefined),
        90_000,
        'all 200 jobs after the restart',
      );
      const done = await kit.redis().hgetall(`${runner.prefix}:test:done`);
      expect(Object.keys(done)).toHaveLength(200);
      await waitFor(
        async () => {
          const [s] = await runner.stats(['ingest']);
          return s.completed === 200 ? s : undefined;
        },
        30_000,
        'every job marked completed',
      );
    } finally {
      for (const w of workers) await stopWorker(w);
      await runner.close();
    }
  });
});
