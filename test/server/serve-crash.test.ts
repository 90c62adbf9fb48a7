/**
 * Acknowledged means kept, tried the hard way: `rootgraph serve` on the embedded default under a
 * bounded concurrent load of OTLP traces, OTLP logs and Alertmanager webhooks, SIGKILLed at a random
 * moment, ten times in a row on the same data folder. After each restart, everything answered 2xx is
 * in the graph (read with `rootgraph graph nodes`, as a user would), and no aggregate count went
 * backwards or counted anything twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROUNDS = 10;
const CLIENTS = 6;
const BIN = join(process.cwd(), 'bin', 'rootgraph.js');

/** The environment of the embedded default: no Neo4j, Redis, Prometheus, Slack or LLM. */
function embeddedEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Checkpoints within every round, so restarts restore them as well as re-apply the journal.
    ROOTGRAPH_CHECKPOINT_MS: '700',
    ROOTGRAPH_DATA_DIR: dir,
    ROOTGRAPH_PORT: '0',
    ROOTGRAPH_WEB_PORT: '0',
  };
  for (const k of Object.keys(env))
    if (/^(NEO4J_|REDIS_URL|PROMETHEUS_URL|SLACK_|ROOTGRAPH_LLM|ROOTGRAPH_INGEST_TOKEN|ROOTGRAPH_LOGS_URL)/.test(k))
      delete env[k];
  return env;
}

/** Starts serve; resolves with the process and its ingest address once it logs `ready`. */
function startServe(dir: string): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: embeddedEnv(dir),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    // Kept beside the data, for reading after a failure.
    const log = createWriteStream(join(dir, `serve-${Date.now()}.log`));
    child.stderr!.on('data', (d: Buffer) => {
      log.write(d);
      err += d.toString();
      const ready = err.split('\n').find((l) => l.includes('"msg":"ready"'));
      if (ready) resolve({ child, url: (JSON.parse(ready) as { ingest: string }).ingest, log: () => err });
    });
    child.on('exit', (code, signal) => reject(new Error(`serve exited (${code ?? signal}) before ready:\n${err}`)));
  });
}

/** `rootgraph graph nodes --label L --json` on the folder (read-only: safe beside a running serve). */
function graphNodes(
  dir: string,
  label: string,
): Promise<Array<{ uid: string; name: string | null; properties: Record<string, unknown> }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'graph', 'nodes', '--label', label, '--json'], {
      env: embeddedEnv(dir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`graph nodes: ${err}`))));
  });
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function span(service: string, operation: string, traceId: string, spanId: string, parent: string | null, at: number) {
  return {
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: [
      {
        spans: [
          {
            traceId,
            spanId,
            ...(parent ? { parentSpanId: parent } : {}),
            name: operation,
            kind: parent ? 3 : 2,
            startTimeUnixNano: String(at * 1e6),
            endTimeUnixNano: String((at + 5) * 1e6),
          },
        ],
      },
    ],
  };
}

/** Two traces: `unique` → backend (a service name seen once) and frontend → backend (the same pattern every time). */
function traces(unique: string, at: number) {
  const out: unknown[] = [];
  for (const root of [unique, 'frontend']) {
    const [t, a, b] = [hex(16), hex(8), hex(8)];
    out.push(span(root, 'GET /', t, a, null, at), span('backend', 'query', t, b, a, at + 1));
  }
  return { resourceSpans: out };
}

const logs = (i: number, at: number) => ({
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'frontend' } }] },
      scopeLogs: [
        {
          logRecords: [
            { timeUnixNano: String(at * 1e6), severityText: 'INFO', body: { stringValue: `user login ok id=${i}` } },
          ],
        },
      ],
    },
  ],
});

const alert = (name: string, at: number) => ({
  version: '4',
  status: 'firing',
  receiver: 'rootgraph',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: name, service: 'frontend', severity: 'warning' },
      annotations: { summary: `${name} fired` },
      startsAt: new Date(at).toISOString(),
      fingerprint: hex(8),
    },
  ],
});

interface Tally {
  services: Set<string>;
  alerts: Set<string>;
  /** Fixed-pattern traces and log lines: answered 2xx, and sent at all (an unanswered one may or may not be kept). */
  patternAcked: number;
  patternSent: number;
  linesAcked: number;
  linesSent: number;
}

/** CLIENTS loops posting until `stop()`; records what was answered 2xx. */
function load(url: string, round: number, tally: Tally) {
  let stopped = false;
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const client = async (c: number) => {
    for (let i = 0; !stopped; i++) {
      const name = `crash-${round}-${c}-${i}`;
      const at = Date.now();
      try {
        tally.patternSent++;
        if ((await post('/v1/traces', traces(name, at))).ok) {
          tally.services.add(name);
          tally.patternAcked++;
        }
        tally.linesSent++;
        // Each line distinct (identical lines at the same instant are replays, counted once).
        if ((await post('/v1/logs', logs(round * 1e6 + c * 1e4 + i, at))).ok) tally.linesAcked++;
        if (i % 3 === 0 && (await post('/v1/alerts/alertmanager', alert(name, at))).ok) tally.alerts.add(name);
      } catch {
        return; // the process is gone
      }
    }
  };
  const running = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  return async () => {
    stopped = true;
    await running;
  };
}

/** Polls `check` until it returns undefined (all good) or the deadline passes; returns the last complaint. */
async function settle(check: () => Promise<string | undefined>, deadlineMs = 45_000): Promise<string | undefined> {
  const until = Date.now() + deadlineMs;
  let complaint: string | undefined;
  do {
    complaint = await check();
    if (complaint === undefined) return undefined;
    await new Promise((r) => setTimeout(r, 1_000));
  } while (Date.now() < until);
  return complaint;
}

interface Counts {
  pattern: number;
  lines: number;
  templateUid: string;
}

/** Everything acknowledged is there, nothing counted twice: a complaint, or the counts read. */
async function verify(dir: string, tally: Tally): Promise<string | Counts> {
  const [services, alerts, patterns, templates] = await Promise.all(
    ['Service', 'Alert', 'TracePattern', 'LogTemplate'].map((l) => graphNodes(dir, l)),
  );
  const names = new Set(services.map((s) => s.name));
  const lostServices = [...tally.services].filter((s) => !names.has(s));
  if (lostServices.length) return `${lostServices.length} acknowledged services missing, e.g. ${lostServices[0]}`;
  const alertNames = new Set(alerts.map((a) => String(a.properties.name ?? a.name)));
  const lostAlerts = [...tally.alerts].filter((a) => !alertNames.has(a));
  if (lostAlerts.length) return `${lostAlerts.length} acknowledged alerts missing, e.g. ${lostAlerts[0]}`;
  const pattern = patterns.find(
    (p) => JSON.stringify(p.properties.services) === JSON.stringify(['backend', 'frontend']),
  );
  const patternCount = Number(pattern?.properties.count ?? 0);
  if (patternCount < tally.patternAcked)
    return `frontend→backend pattern counts ${patternCount} < ${tally.patternAcked} acknowledged`;
  const login = templates.filter((t) => String(t.properties.template ?? t.name).includes('user login ok'));
  if (login.length !== 1)
    return `${login.length} LogTemplates for "user login ok …": ${login.map((t) => t.uid).join(', ')}`;
  const lineCount = Number(login[0].properties.count ?? 0);
  if (lineCount < tally.linesAcked) return `login template counts ${lineCount} < ${tally.linesAcked} acknowledged`;
  return { pattern: patternCount, lines: lineCount, templateUid: login[0].uid };
}

describe('serve on the embedded default, SIGKILLed under load', () => {
  it(
    `keeps everything it acknowledged, ${ROUNDS} crashes in a row, and no count goes backwards`,
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'rg-crash-'));
      const tally: Tally = {
        services: new Set(),
        alerts: new Set(),
        patternAcked: 0,
        patternSent: 0,
        linesAcked: 0,
        linesSent: 0,
      };
      let previous: Counts | undefined;
      // A fixed seed: the kill moments are random, and the same on every run.
      let seed = 20261201;
      const nextDelay = () => 300 + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 2_200);
      for (let round = 0; round <= ROUNDS; round++) {
        const serve = await startServe(dir);
        if (round > 0) {
          let counts: Counts | undefined;
          const complaint = await settle(async () => {
            const r = await verify(dir, tally);
            if (typeof r === 'string') return r;
            counts = r;
            return undefined;
          });
          expect(complaint, `after crash ${round} (data and serve logs in ${dir})`).toBeUndefined();
          // Nothing counted twice: at most what was sent; never less than before the crash.
          expect(counts!.pattern).toBeLessThanOrEqual(tally.patternSent);
          expect(counts!.lines).toBeLessThanOrEqual(tally.linesSent);
          if (previous) {
            expect(counts!.pattern).toBeGreaterThanOrEqual(previous.pattern);
            expect(counts!.lines).toBeGreaterThanOrEqual(previous.lines);
            expect(counts!.templateUid).toBe(previous.templateUid);
          }
          previous = counts;
        }
        if (round === ROUNDS) {
          serve.child.kill('SIGTERM');
          await new Promise((r) => serve.child.once('exit', r));
          break;
        }
        const stop = load(serve.url, round, tally);
        await new Promise((r) => setTimeout(r, nextDelay()));
        serve.child.kill('SIGKILL');
        await new Promise((r) => serve.child.once('exit', r));
        await stop();
      }
      // After the graceful stop the folder opens cleanly and still holds everything.
      const final = await verify(dir, tally);
      expect(typeof final === 'string' ? final : undefined).toBeUndefined();
      expect(tally.services.size).toBeGreaterThan(ROUNDS * CLIENTS);
      expect(tally.alerts.size).toBeGreaterThan(ROUNDS);
    },
    15 * 60_000,
  );
});
