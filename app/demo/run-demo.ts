import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { renderIncidentText } from '../../bots/console/render-text.js';
import { runConsoleChat } from '../../bots/console/console-chat.js';
import { composeRuntime, ROLES } from '../compose.js';
import { loadConfig } from '../../src/config.js';
import type { Incident } from '../../src/incidents/incident.js';
import { createLogger } from '../../src/logger.js';
import {
  SYMPTOMATIC_FAULT_TYPES,
  kubernetesManifests,
  onlineBoutique,
  simulate,
  type FaultType,
  type SimRun,
} from '../../src/sim/index.js';
import { DemoNotifier, shortName } from './demo-notifier.js';
import { IngestClient } from './ingest-client.js';
import { alertDeliveries, slicePayloads } from './sim-payloads.js';

export interface DemoOptions {
  fault?: FaultType;
  target?: string;
  seed: number;
  dataDir: string;
  /** Open the console chat on the incident afterwards (a terminal on stdin). */
  chat: boolean;
  out: (line: string) => void;
  progress: (label: string, done: number, total: number) => void;
}

export interface DemoResult {
  correct: boolean;
  truth: string;
  top?: string;
  incident?: Incident;
  faultToCardMs?: number;
}

export const DEMO = {
  /** Simulated minutes of normal operation before the fault. */
  learnMinutes: 60,
  /** Simulated minutes after the fault starts. */
  faultMinutes: 15,
  stepS: 30,
  /** Sampled traces per second of simulated time (the demo's volume knob). */
  traceRatePerS: 1,
};

/**
 * The whole loop on the embedded default, through the same code `rootgraph serve` runs: a simulated
 * Online Boutique feeds the real ingest HTTP endpoints (Kubernetes manifests, metrics, OTLP traces and
 * logs, Alertmanager webhooks); the in-process jobs compress the alerts into an incident, rank and
 * explain its root causes and publish the card. Says whether the diagnosis matched the injected fault.
 */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const { out } = opts;
  const candidates = onlineBoutique()
    .services.filter((s) => s.kind !== 'frontend')
    .map((s) => s.name);
  const fault = opts.fault ?? SYMPTOMATIC_FAULT_TYPES[opts.seed % SYMPTOMATIC_FAULT_TYPES.length];
  const target = opts.target ?? candidates[(opts.seed * 7 + 3) % candidates.length];
  const { run, start, faultAtS } = simulateDemo({ seed: opts.seed, fault, target });
  out(
    `rootgraph demo · Online Boutique · seed ${opts.seed} · embedded graph in ${opts.dataDir}, in-process jobs, console chat`,
  );
  out(
    `injecting ${fault} into ${target} ${DEMO.faultMinutes} min ago (${DEMO.learnMinutes} min of normal operation before it)`,
  );

  // Each demo starts from an empty graph: a previous run's incidents would blur this one.
  await rm(join(opts.dataDir, 'graph.json'), { force: true });
  const config = loadConfig({
    ROOTGRAPH_DATA_DIR: opts.dataDir,
    ROOTGRAPH_PORT: '0',
    LOG_LEVEL: 'warn',
    ROOTGRAPH_CYPHER_USERS: 'you',
  });
  const notifier = new DemoNotifier(out);
  const runtime = await composeRuntime(config, ROLES, { logger: createLogger('warn'), notifier, schedule: false });
  const { runner } = runtime;
  const client = new IngestClient(runtime.addresses.ingest as string);
  try {
    await client.post('/v1/k8s?source=online-boutique.yaml', kubernetesManifests(run.topology), 'application/yaml');
    let spans = 0,
      lines = 0,
      background = 0;
    const deliveries = alertDeliveries(run);
    let next = 0;
    // Learn normal behaviour: a minute of telemetry per request, as collectors would push it.
    for (let m = 0; m < DEMO.learnMinutes; m++) {
      const p = slicePayloads(run, m * 60, (m + 1) * 60);
      await feed(client, p);
      spans += p.spans;
      lines += p.logLines;
      for (; next < deliveries.length && deliveries[next].at < start + (m + 1) * 60_000; next++) {
        background += (deliveries[next].payload as { alerts: unknown[] }).alerts.length;
        await client.post('/v1/alerts/alertmanager', deliveries[next].payload);
      }
      opts.progress('learning normal behaviour', m + 1, DEMO.learnMinutes);
    }
    await runner.drained();
    await runtime.ingest?.ingest.flush();
    const counts = await runtime.graph.counts();
    out(
      `learned ${DEMO.learnMinutes} min of normal operation: ${spans.toLocaleString('en-US')} spans, ${lines.toLocaleString('en-US')} log lines, ${background} background alert notifications → graph of ${counts.nodes} nodes, ${counts.edges} relationships`,
    );
    const before = new Map([...notifier.latest].map(([n, i]) => [n, i.revision]));

    out(`fault starts: ${fault} on ${target}`);
    const faultAtMs = Date.now();
    let firstCardMs: number | undefined;
    for (let m = DEMO.learnMinutes; m < DEMO.learnMinutes + DEMO.faultMinutes; m++) {
      await feed(client, slicePayloads(run, m * 60, (m + 1) * 60));
      const until = start + (m + 1) * 60_000;
      for (; next < deliveries.length && deliveries[next].at < until; next++) {
        const payload = deliveries[next].payload as {
          alerts: Array<{ status: string; labels: Record<string, string> }>;
        };
        for (const a of payload.alerts)
          out(
            `  ${a.status === 'firing' ? '▲' : '▽'} ${a.status.padEnd(8)} ${a.labels.alertname} on ${a.labels.pod ?? a.labels.service ?? a.labels.instance ?? '?'} (${a.labels.severity ?? 'none'})`,
          );
        await client.post('/v1/alerts/alertmanager', payload);
      }
      await runner.drained();
      if (firstCardMs === undefined && [...notifier.latest.values()].some((i) => i.revision !== before.get(i.number)))
        firstCardMs = Date.now() - faultAtMs;
    }
    await runtime.ingest?.ingest.flush();
    await runner.drained();

    const truth = run.truth.faults[0].service;
    // Naming the faulty pod itself (a crashed pod) is as right as naming its service.
    const rightAnswers = new Set([truth, ...run.truth.faults[0].pods]);
    const faultStartMs = start + faultAtS * 1000;
    const incident = pickIncident([...notifier.latest.values()].filter((i) => i.updatedAt >= faultStartMs));
    if (!incident) {
      out('no incident was opened: the alerts did not cross the SLO rules');
      return { correct: false, truth };
    }
    out('');
    out(renderIncidentText(incident));
    const top = incident.suspects[0] ? shortName(incident.suspects[0].entity) : undefined;
    const correct = top !== undefined && rightAnswers.has(top);
    out('');
    out(
      correct
        ? `✔ diagnosis correct: ${top} is ranked first (the fault was in ${truth}; fault to first card: ${firstCardMs ?? '?'} ms of demo time)`
        : `✘ diagnosis wrong: ranked ${top ?? 'nothing'} first; the fault was in ${truth}`,
    );
    if (opts.chat) {
      out(
        `\nAsk about it: "incident ${incident.number}", "what is wrong with ${truth}", "root cause is ${truth} for incident ${incident.number}", "help"; Ctrl-D quits.`,
      );
      await runConsoleChat({ assistant: runtime.assistant, user: 'you', prompt: true });
      await runner.drained();
    } else
      out(
        `Its graph and incident stay in ${opts.dataDir}: \`ROOTGRAPH_DATA_DIR=${opts.dataDir} rootgraph chat\` asks about them.`,
      );
    return { correct, truth, top, incident, faultToCardMs: firstCardMs };
  } finally {
    await runtime.close();
  }
}

/**
 * The demo's simulated run: DEMO.learnMinutes of normal operation, then the fault for DEMO.faultMinutes,
 * ending now so the incident happens "just now" for the jobs' clock. `start` is ms since epoch.
 */
export function simulateDemo(opts: { seed: number; fault: FaultType; target: string }): {
  run: SimRun;
  start: number;
  faultAtS: number;
} {
  const durationS = (DEMO.learnMinutes + DEMO.faultMinutes) * 60;
  const faultAtS = DEMO.learnMinutes * 60;
  const start = Math.floor((Date.now() - durationS * 1000) / (DEMO.stepS * 1000)) * DEMO.stepS * 1000;
  const run = simulate({
    system: 'online-boutique',
    seed: opts.seed,
    start,
    durationS,
    stepS: DEMO.stepS,
    traceRatePerS: DEMO.traceRatePerS,
    faults: [{ type: opts.fault, target: opts.target, startS: faultAtS, durationS: DEMO.faultMinutes * 60 }],
  });
  return { run, start, faultAtS };
}

/** Posts one slice of telemetry to the ingest endpoints, as collectors would push it. */
export async function feed(client: IngestClient, p: ReturnType<typeof slicePayloads>): Promise<void> {
  await client.post('/v1/metrics', p.metrics);
  if (p.spans > 0) await client.post('/v1/traces', p.traces);
  if (p.logLines > 0) await client.post('/v1/logs', p.logs);
}

// The incident to show: the open one with the most alerts (the fault's storm), else the newest.
function pickIncident(incidents: Incident[]): Incident | undefined {
  return [...incidents].sort(
    (a, b) =>
      (b.status === 'open' ? 1 : 0) - (a.status === 'open' ? 1 : 0) ||
      b.alertFingerprints.length - a.alertFingerprints.length,
  )[0];
}
