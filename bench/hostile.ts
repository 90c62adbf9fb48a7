// `npm run bench -- hostile`: `rootgraph serve` (embedded default) under each hostile input of issue #16,
// one after another, while /healthz is polled every 50 ms: the answer, its time, the slowest /healthz
// meanwhile and the process's peak RSS. Timings are measured here, never asserted in tests.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printTable } from './table.js';

const BIN = join(process.cwd(), 'bin', 'rootgraph.js');

function startServe(dir: string): Promise<{ pid: number; url: string; stop: () => Promise<void> }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ROOTGRAPH_DATA_DIR: dir,
    ROOTGRAPH_PORT: '0',
    ROOTGRAPH_WEB_PORT: '0',
  };
  for (const k of [
    'NEO4J_URI',
    'REDIS_URL',
    'PROMETHEUS_URL',
    'SLACK_BOT_TOKEN',
    'KUBECONFIG',
    'ROOTGRAPH_INGEST_TOKEN',
  ])
    delete env[k];
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const ready = err.split('\n').find((l) => l.includes('"msg":"ready"'));
      if (ready)
        resolve({
          pid: child.pid as number,
          url: (JSON.parse(ready) as { ingest: string }).ingest,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

const rssMb = (pid: number): number => {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

const nowNs = () => `${BigInt(Date.now()) * 1_000_000n}`;
const attr = (key: string, v: string) => ({ key, value: { stringValue: v } });
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** The inputs, each as (path, content type, body). */
function attacks(): Array<{ what: string; path: string; type: string; body: string }> {
  const deep = '['.repeat(10_000) + ']'.repeat(10_000);
  const alerts = Array.from({ length: 5_000 }, (_, i) => ({
    status: 'firing',
    labels: { alertname: `Storm${i}`, service: `svc${i % 50}`, severity: 'warning' },
    startsAt: new Date().toISOString(),
  }));
  const yaml = Array.from(
    { length: 4_999 },
    (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n  namespace: hostile\n`,
  ).join('---\n');
  const spans = Array.from({ length: 40_000 }, (_, i) => ({
    traceId: hex(Math.floor(i / 10), 32),
    spanId: hex(i + 1, 16),
    name: `GET /item/${i % 100}`,
    startTimeUnixNano: nowNs(),
    endTimeUnixNano: nowNs(),
  }));
  const traces = {
    resourceSpans: [{ resource: { attributes: [attr('service.name', 'big')] }, scopeSpans: [{ spans }] }],
  };
  const t = Math.floor(Date.now() / 1000);
  const series = Array.from({ length: 6_000 }, (_, i) => ({
    entity: `svc${i}`,
    metric: 'm',
    timestamps: [t],
    values: [1],
  }));
  const long = Array.from({ length: 300_000 }, (_, i) => t - 300_000 + i);
  return [
    { what: '10k-deep JSON on /v1/k8s', path: '/v1/k8s', type: 'application/json', body: deep },
    {
      what: '5,000-alert webhook',
      path: '/v1/alerts/alertmanager',
      type: 'application/json',
      body: JSON.stringify({ version: '4', alerts }),
    },
    { what: '4,999-document YAML', path: '/v1/k8s', type: 'application/yaml', body: yaml },
    {
      what: `OTLP JSON, 40,000 spans (${(JSON.stringify(traces).length / 1e6).toFixed(1)} MB)`,
      path: '/v1/traces',
      type: 'application/json',
      body: JSON.stringify(traces),
    },
    {
      what: '6,000 new series in one push',
      path: '/v1/push/metrics',
      type: 'application/json',
      body: JSON.stringify({ series }),
    },
    {
      what: 'one series of 300k samples',
      path: '/v1/push/metrics',
      type: 'application/json',
      body: JSON.stringify({
        series: [{ entity: 'cart', metric: 'cpu', timestamps: long, values: long.map(() => 1) }],
      }),
    },
  ];
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'rg-bench-hostile-'));
  const serve = await startServe(dir);
  const rows: Array<Array<string | number>> = [];
  try {
    for (const a of attacks()) {
      let slowest = 0;
      let peak = rssMb(serve.pid);
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const t0 = performance.now();
          await fetch(`${serve.url}/healthz`).catch(() => undefined);
          slowest = Math.max(slowest, performance.now() - t0);
          peak = Math.max(peak, rssMb(serve.pid));
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const t0 = performance.now();
      const res = await fetch(`${serve.url}${a.path}`, {
        method: 'POST',
        headers: { 'content-type': a.type },
        body: a.body,
      });
      const ms = performance.now() - t0;
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 200));
      polling = false;
      await poller;
      rows.push([a.what, res.status, Math.round(ms), Math.round(slowest), Math.round(peak)]);
    }
  } finally {
    await serve.stop();
    await rm(dir, { recursive: true, force: true });
  }
  printTable(
    'Hostile input against serve (embedded default): answer, time, slowest /healthz meanwhile, peak RSS',
    ['input', 'status', 'answer ms', 'slowest /healthz ms', 'peak RSS MB'],
    rows,
  );
}
