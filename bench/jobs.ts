/**
 * Jobs/s end to end (enqueue → processed → completed) for a trivial job and for an RCA job, on BullMQ
 * (local Redis, 1 and 2 worker processes) and on the in-process runner for reference.
 * Usage: npm run bench -- jobs [--trivial N] [--rca N]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { InProcessRunner } from '../jobs/in-process-runner.js';
import type { JobRunner } from '../src/ports/job-runner.js';
import { BullmqRunner } from '../jobs/workers/bullmq-runner.js';
import { IncidentStore } from '../src/incidents/incident-store.js';
import { runRcaJob } from '../src/flow/rca-job.js';
import { FixtureMetrics, NOW, SVC, flowGraph } from '../test/jobs/flow-fixture.js';
import { printTable } from './table.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const runFile = fileURLToPath(new URL('./run.ts', import.meta.url));
type Kind = 'trivial' | 'rca';

// Registers the benchmark's processor: trivial returns at once; rca diagnoses incident N of a fresh fixture graph.
async function attach(runner: JobRunner, kind: Kind, incidents: number): Promise<void> {
  if (kind === 'trivial') {
    runner.process('ingest', async (d) => d.source.length, { concurrency: 8 });
    return;
  }
  const graph = await flowGraph();
  const store = new IncidentStore(graph, () => NOW);
  for (let i = 0; i < incidents; i++)
    await store.open({
      title: `bench ${i}`,
      severity: 'critical',
      entities: [SVC.frontend, SVC.payment],
      alertFingerprints: [],
      entry: SVC.frontend,
      openedAt: NOW - 10 * 60_000,
    });
  const metrics = new FixtureMetrics();
  runner.process(
    'rca',
    async (d) => (await runRcaJob(d, { graph, incidents: store, metrics, now: () => NOW })).summary,
    { concurrency: 1 },
  );
}

async function measure(producer: JobRunner, kind: Kind, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, n - i) }, (_, k) =>
        kind === 'trivial'
          ? producer.enqueue('ingest', { source: `t-${i + k}`, batch: { nodes: [], edges: [] } })
          : producer.enqueue('rca', { incident: i + k + 1, revision: 1 }),
      ),
    );
  }
  const queue = kind === 'trivial' ? 'ingest' : 'rca';
  for (;;) {
    const [s] = await producer.stats([queue]);
    if (s.completed + s.failed >= n) {
      if (s.failed > 0) throw new Error(`${s.failed} ${kind} jobs failed`);
      return n / ((performance.now() - t0) / 1000);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

function spawnWorker(kind: Kind, prefix: string, incidents: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', runFile, 'jobs', '--worker', kind, prefix, String(incidents)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`bench worker exited ${code}`)));
  });
}

async function bullmqCase(kind: Kind, n: number, workers: number): Promise<number> {
  const prefix = `rgbench-${randomBytes(4).toString('hex')}`;
  const producer = new BullmqRunner({ redisUrl: REDIS_URL, prefix });
  const children = await Promise.all(Array.from({ length: workers }, () => spawnWorker(kind, prefix, n)));
  try {
    return await measure(producer, kind, n);
  } finally {
    for (const c of children) {
      c.removeAllListeners('exit');
      c.kill('SIGTERM');
    }
    await producer.obliterate();
    await producer.close();
  }
}

async function inProcessCase(kind: Kind, n: number): Promise<number> {
  const r = new InProcessRunner({ keepCompleted: n });
  await attach(r, kind, n);
  try {
    return await measure(r, kind, n);
  } finally {
    await r.close();
  }
}

// Child mode: one BullMQ worker process for the benchmark, until SIGTERM.
async function workerMain(kind: Kind, prefix: string, incidents: number): Promise<void> {
  const runner = new BullmqRunner({ redisUrl: REDIS_URL, prefix });
  await attach(runner, kind, incidents);
  await runner.ready();
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => void runner.close({ timeoutMs: 2_000 }).then(() => process.exit(0)));
}

/** Prints jobs/s per runner, job kind and worker count. */
export async function run(args: string[]): Promise<void> {
  if (args[0] === '--worker') return workerMain(args[1] as Kind, args[2], Number(args[3]));
  const opt = (name: string, d: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : d;
  };
  const sizes: Record<Kind, number> = { trivial: opt('--trivial', 2_000), rca: opt('--rca', 200) };
  const rows: Array<Array<string | number>> = [];
  for (const kind of ['trivial', 'rca'] as const) {
    rows.push(['in-process', kind, 1, sizes[kind], await inProcessCase(kind, sizes[kind])]);
    for (const w of [1, 2])
      rows.push([`BullMQ (local Redis)`, kind, w, sizes[kind], await bullmqCase(kind, sizes[kind], w)]);
  }
  printTable(
    'Jobs end to end (enqueue → completed); worker = separate process for BullMQ; trivial: concurrency 8, rca: concurrency 1',
    ['runner', 'job', 'workers', 'jobs', 'jobs/s'],
    rows,
  );
}
