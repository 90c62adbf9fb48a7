// `npm run bench -- ui [--runs N]`: server render time of the incident web UI (bots/web) for an incident in a
// generated 3,000-service system: the graph holds the whole system, the page draws only the incident's subgraph.
import { parseArgs } from 'node:util';
import { topologyToGraphBatch } from '../app/demo/topology-to-graph.js';
import { buildWebServer } from '../bots/web/web-server.js';
import { InProcessRunner } from '../jobs/in-process-runner.js';
import { QueuedFeedbackSink } from '../jobs/queued-feedback-sink.js';
import { MemoryGraphStore } from '../src/graph/memory/memory-graph-store.js';
import { alertUid, type Suspect } from '../src/incidents/incident.js';
import { IncidentStore } from '../src/incidents/incident-store.js';
import { BufferMetricSource } from '../src/metrics/buffer-metric-source.js';
import { uids } from '../src/model/uid.js';
import { generateSystem, simulate, type Topology } from '../src/sim/index.js';
import { printTable, timeMs } from './table.js';

const SERVICES = 3_000;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { runs: { type: 'string', default: '20' } } });
  const runs = Math.max(3, Number(values.runs));
  const start = Date.UTC(2026, 0, 1);
  const db = generateSystem({ services: SERVICES, seed: 1 }).services.find((s) => s.kind === 'database')!.name;
  const sim = simulate({
    system: { generated: { services: SERVICES } },
    seed: 1,
    start,
    durationS: 3_600,
    stepS: 30,
    traceRatePerS: 1,
    faults: [{ type: 'cpu-hog', target: db, startS: 2_700, durationS: 900 }],
  });
  const t = sim.topology;
  const graph = await MemoryGraphStore.open();
  const metrics = new BufferMetricSource();
  const setupMs = await timeMs(async () => {
    await graph.upsert(topologyToGraphBatch(t, start));
    metrics.loadCase({
      timestamps: sim.metrics.timestamps,
      series: [...sim.metrics.series.values()].map((s) => ({ key: `${s.entity}|${s.metric}`, ...s })),
    });
  });
  const counts = await graph.counts();
  const fault = sim.truth.faults[0];
  const incidents = new IncidentStore(graph, () => fault.start + 120_000);
  const number = await openIncident(graph, incidents, t, fault, sim.metrics.series);
  const app = await buildWebServer(
    {
      graph,
      incidents,
      metrics,
      feedback: new QueuedFeedbackSink(new InProcessRunner()),
      now: () => fault.start + 900_000,
    },
    {},
  );
  const entry = uids.service(
    t.services.find((s) => s.kind === 'frontend')!.name,
    ns(t, t.services.find((s) => s.kind === 'frontend')!.name),
  );
  // The metric read the incident page makes, alone: the embedded buffer's query, measured between page runs.
  const incident = (await incidents.get(number))!;
  const names = incident.suspects.map((s) => s.entity.slice(s.entity.lastIndexOf('/') + 1));
  const fromS = Math.floor(incident.openedAt / 1000) - 1_800;
  const metricRead = () => metrics.query({ entities: names, from: fromS, to: fromS + 2_700, stepS: 30 });
  const pages = [
    { page: `incident page (/incidents/${number})`, url: `/incidents/${number}` },
    { page: '  its metric read alone', url: '', alone: metricRead },
    { page: `graph as PNG (/incidents/${number}/graph.png)`, url: `/incidents/${number}/graph.png` },
    { page: 'neighbourhood (/graph, 2 hops)', url: `/graph?around=${encodeURIComponent(entry)}&hops=2` },
    { page: 'list (/incidents)', url: '/incidents' },
  ];
  const ms = new Map(pages.map((p) => [p.page, [] as number[]]));
  const bodies = new Map<string, string>();
  for (let i = -1; i < runs; i++)
    for (const p of pages) {
      // Interleaved, so every row sees the same load on a shared machine; run -1 warms up (JIT, first layout).
      const took = await timeMs(async () => {
        if (p.alone) return p.alone();
        const res = await app.inject({ method: 'GET', url: p.url });
        if (res.statusCode !== 200) throw new Error(`${p.url} → ${res.statusCode}`);
        bodies.set(p.page, p.url.endsWith('.png') ? res.rawPayload.toString('latin1') : res.body);
      });
      if (i >= 0) ms.get(p.page)!.push(took);
    }
  const rows = pages.map((p) => {
    const m = ms.get(p.page)!.sort((a, b) => a - b);
    const body = bodies.get(p.page) ?? '';
    const html = !p.url.endsWith('.png');
    return [
      p.page,
      m[Math.floor(m.length / 2)],
      m[Math.min(m.length - 1, Math.ceil(m.length * 0.95) - 1)],
      p.alone ? '' : Math.round(body.length / 1024),
      html && !p.alone ? (body.match(/class="node[ "]/g) ?? []).length : '',
      html && !p.alone ? (body.match(/class="edge[ "]/g) ?? []).length : '',
      html && !p.alone ? (body.match(/class="sparkline"/g) ?? []).length : '',
    ];
  });
  await app.close();
  await graph.close();
  printTable(
    `ui: server render of the web UI, ${SERVICES.toLocaleString('en-US')}-service system (graph ${counts.nodes.toLocaleString('en-US')} nodes, ${counts.edges.toLocaleString('en-US')} relationships; ${sim.metrics.series.size.toLocaleString('en-US')} series in the metric buffer; setup ${Math.round(setupMs)} ms), ${runs} runs each, through Fastify inject`,
    ['page', 'median ms', 'p95 ms', 'KiB', 'entities drawn', 'edges drawn', 'sparklines'],
    rows,
  );
}

const ns = (t: Topology, service: string) => t.services.find((s) => s.name === service)?.namespace;

// An incident as the flow would store it: alerts on the fault's callers, the faulty service first among five
// suspects, its propagation path up the callers to the front end, and its own metric as evidence.
async function openIncident(
  graph: MemoryGraphStore,
  incidents: IncidentStore,
  t: Topology,
  fault: ReturnType<typeof simulate>['truth']['faults'][number],
  series: ReturnType<typeof simulate>['metrics']['series'],
): Promise<number> {
  const svc = (name: string) => uids.service(name, ns(t, name));
  const path = callerPath(t, fault.service);
  const alerting = path.slice(-3);
  const fps = alerting.map((s) => `bench-${s}`);
  await graph.upsert({
    observedAt: fault.start + 60_000,
    nodes: alerting.map((s, i) => ({
      label: 'Alert',
      uid: alertUid(fps[i]),
      props: {
        name: i === alerting.length - 1 ? 'HighRequestLatency' : 'HighErrorRate',
        fingerprint: fps[i],
        status: 'firing',
        severity: 'critical',
        startsAt: fault.start + 60_000 * (i + 1),
      },
    })),
    edges: alerting.map((s, i) => ({ type: 'FIRED_ON', from: alertUid(fps[i]), to: svc(s), props: {} })),
  });
  const candidates = [
    fault.service,
    ...path.slice(1),
    ...t.edges.filter((e) => e.source === fault.service).map((e) => e.target),
  ];
  const suspects: Suspect[] = [...new Set(candidates)].slice(0, 5).map((s, i) => {
    const own = [...series.values()].filter((x) => x.entity === s).slice(0, 2);
    return {
      entity: svc(s),
      rank: i + 1,
      score: 0.8 / (i + 1),
      why: `${own[0]?.metric ?? 'latency'} moved`,
      explanation: {
        metrics: own.map((x) => ({ metric: x.metric, z: 12 - i, normal: 1, peak: 3 })),
        path: i === 0 ? path.map(svc) : null,
        logTemplates:
          i === 0 ? [{ template: 'connection pool exhausted after <*> ms', windowCount: 420, expected: 3 }] : [],
        changes: [],
      },
    };
  });
  const incident = await incidents.open({
    title: `HighRequestLatency on ${path[path.length - 1]}`,
    severity: 'critical',
    entities: alerting.map(svc),
    alertFingerprints: fps,
    entry: svc(path[path.length - 1]),
    openedAt: fault.start + 60_000,
  });
  await incidents.save({ ...incident, suspects, diagnosedRevision: incident.revision });
  return incident.number;
}

// The shortest chain of callers from `service` up to a front end (breadth-first over reversed CALLS).
function callerPath(t: Topology, service: string): string[] {
  const callers = new Map<string, string[]>();
  for (const e of t.edges) callers.set(e.target, [...(callers.get(e.target) ?? []), e.source]);
  const front = new Set(t.services.filter((s) => s.kind === 'frontend').map((s) => s.name));
  const prev = new Map<string, string>([[service, '']]);
  const queue = [service];
  while (queue.length > 0) {
    const s = queue.shift()!;
    if (front.has(s)) {
      const out = [s];
      for (let p = prev.get(s); p; p = prev.get(p)) out.push(p);
      return out.reverse();
    }
    for (const c of callers.get(s) ?? [])
      if (!prev.has(c)) {
        prev.set(c, s);
        queue.push(c);
      }
  }
  return [service];
}
