// `npm run bench -- ingest [--minutes N] [--no-neo4j] [--sustain SECONDS]`: spans/s, log lines/s and metric points/s from
// OTLP JSON and protobuf (and Prometheus remote-write) through parse → compression (CALLS windows, trace patterns, log templates) → graph
// upsert, into the memory store and into Neo4j (bolt://127.0.0.1:7687 or NEO4J_URI) if reachable.
import { randomUUID } from 'node:crypto';
import type { GraphStore } from '../src/graph/graph-store.js';
import { MemoryGraphStore } from '../src/graph/memory/memory-graph-store.js';
import { Neo4jGraphStore } from '../src/graph/neo4j/neo4j-graph-store.js';
import { LogIngestor } from '../src/ingest/logs/log-ingestor.js';
import { otlpType } from '../src/ingest/otel/otlp-proto.js';
import { parseOtlpLogs } from '../src/ingest/otel/parse-otlp-logs.js';
import { simulate, toOtlpLogs, toOtlpTraces, type Trace } from '../src/sim/index.js';
import { metricParseRows, metricPayloads, metricStoreRows } from './ingest-metrics.js';
import { durableSpanRows } from './ingest-durable.js';
import { loadLine, printSpanCpuTable, spanMemoryRows, spanNeo4jRows, spanParseRows } from './ingest-spans.js';
import { printTable, timeMs } from './table.js';

const BATCH_TRACES = 100;
const BATCH_LOGS = 1_000;

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

/** An OTLP JSON trace request (hex ids) as protobuf bytes. */
function toProto(batch: object): Uint8Array {
  const type = otlpType('ExportTraceServiceRequest');
  const b64 = (h: unknown) => (typeof h === 'string' ? Buffer.from(h, 'hex').toString('base64') : h);
  const hexIdsAsBase64 = (k: string, v: unknown) => (['traceId', 'spanId', 'parentSpanId'].includes(k) ? b64(v) : v);
  return type.encode(type.fromObject(JSON.parse(JSON.stringify(batch), hexIdsAsBase64))).finish();
}

/** OTLP request bodies as an exporter would send them: JSON objects and protobuf bytes. */
function payloads(minutes: number) {
  const run = simulate({
    system: 'online-boutique',
    seed: 1,
    start: Date.UTC(2026, 0, 1),
    durationS: minutes * 60,
    stepS: 60,
    faults: [],
    traceRatePerS: 20,
    logsPerRequest: 0.05,
  });
  const traceBatches: Array<{ resourceSpans: unknown[] }> = [];
  let group: Trace[] = [];
  let spans = 0;
  for (const tr of run.traces()) {
    group.push(tr);
    spans += tr.spans.length;
    if (group.length === BATCH_TRACES) {
      traceBatches.push(toOtlpTraces(run.topology, group));
      group = [];
    }
  }
  if (group.length) traceBatches.push(toOtlpTraces(run.topology, group));
  const lines = [...run.logs()];
  const logBatches = Array.from({ length: Math.ceil(lines.length / BATCH_LOGS) }, (_, i) =>
    toOtlpLogs(run.topology, lines.slice(i * BATCH_LOGS, (i + 1) * BATCH_LOGS)),
  );
  const protoTraces = traceBatches.map(toProto);
  // The same requests as instrumentation naming spans by raw URL writes them: every span name one of a kind.
  let request = 0;
  const rawUrlProto = traceBatches.map((b) => {
    const copy = structuredClone(b) as {
      resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }>;
    };
    for (const rs of copy.resourceSpans)
      for (const ss of rs.scopeSpans)
        for (const sp of ss.spans) sp.name += `/${(++request).toString(16).padStart(12, '0')}`;
    return toProto(copy);
  });
  return { traceBatches, protoTraces, rawUrlProto, logBatches, spans, lines: lines.length };
}

/** Median of `LOG_PASSES` passes (the first one pays for the JIT warming up; the server runs for long). */
const LOG_PASSES = 3;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall and CPU milliseconds of `fn` (CPU: this process, user + system; steadier on a shared machine). */
async function wallAndCpuMs(fn: () => Promise<unknown> | unknown): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const wall = await timeMs(fn);
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/** Two rows for `passes` timings of `lines` lines: by wall time and by CPU time, each the median. */
function logRows(
  path: string,
  lines: number,
  passes: Array<{ wall: number; cpu: number }>,
): Array<Array<string | number>> {
  const wall = median(passes.map((x) => x.wall));
  const cpu = median(passes.map((x) => x.cpu));
  return [
    ['log lines', `${path}, median of ${LOG_PASSES} (wall)`, lines, wall / 1000, lines / (wall / 1000)],
    ['log lines', `${path}, median of ${LOG_PASSES} (CPU time)`, lines, cpu / 1000, lines / (cpu / 1000)],
  ];
}

/** Log lines: OTLP JSON parse only. */
async function logParseRows(p: ReturnType<typeof payloads>): Promise<Array<Array<string | number>>> {
  const passes: Array<{ wall: number; cpu: number }> = [];
  for (let i = 0; i < LOG_PASSES; i++) {
    passes.push(
      await wallAndCpuMs(() => {
        for (const b of p.logBatches) parseOtlpLogs(b);
      }),
    );
  }
  return logRows('parse OTLP JSON (no store)', p.lines, passes);
}

/**
 * Log lines: parse → LogAggregator (template mining, window counts) → graph, one write per request;
 * each pass with a fresh ingestor (its own miners, its own template nodes).
 */
async function logStoreRows(
  p: ReturnType<typeof payloads>,
  store: GraphStore,
  name: string,
  tag: string,
): Promise<Array<Array<string | number>>> {
  const passes: Array<{ wall: number; cpu: number }> = [];
  for (let i = 0; i < LOG_PASSES; i++) {
    const logs = new LogIngestor(store, { cluster: `${tag}-logs${i}` });
    passes.push(
      await wallAndCpuMs(async () => {
        for (const b of p.logBatches) await logs.ingest(parseOtlpLogs(b).accepted);
      }),
    );
  }
  return logRows(`JSON → ${name} graph (end to end)`, p.lines, passes);
}

async function openNeo4j(): Promise<GraphStore | string> {
  const uri = process.env.NEO4J_URI ?? 'bolt://127.0.0.1:7687';
  try {
    return await Neo4jGraphStore.connect({
      uri,
      user: process.env.NEO4J_USER ?? 'neo4j',
      password: process.env.NEO4J_PASSWORD ?? '',
    });
  } catch (err) {
    return `Neo4j at ${uri} is not reachable (${(err as Error).message.split('\n')[0]}): Neo4j rows skipped.`;
  }
}

async function cleanup(store: GraphStore, tag: string): Promise<void> {
  for (const label of [
    'Service',
    'Operation',
    'Pod',
    'Machine',
    'Deployment',
    'TracePattern',
    'LogTemplate',
    'MetricSeries',
  ] as const) {
    const ids = (await store.findNodes({ label })).filter((n) => n.uid.includes(tag)).map((n) => n.uid);
    if (ids.length) await store.deleteNodes(ids);
  }
}

export async function run(args: string[]): Promise<void> {
  const minutes = arg(args, '--minutes', 30);
  const p = payloads(minutes);
  console.log(
    `input: simulated Online Boutique, ${minutes} min at 20 traces/s: ${p.spans.toLocaleString('en-US')} spans in ${p.traceBatches.length} OTLP requests, ${p.lines.toLocaleString('en-US')} log lines in ${p.logBatches.length} requests`,
  );
  const rows: Array<Array<string | number>> = [];
  const spanInput = { json: p.traceBatches, proto: p.protoTraces, rawUrlProto: p.rawUrlProto, spans: p.spans };
  console.log(`span rows start: ${loadLine()}`);
  rows.push(...(await spanParseRows(spanInput)));
  rows.push(...(await logParseRows(p)));
  const m = metricPayloads(minutes);
  rows.push(...(await metricParseRows(m)));
  const stores: Array<[string, () => Promise<GraphStore | string>]> = [['memory', () => MemoryGraphStore.open()]];
  if (!args.includes('--no-neo4j')) stores.push(['neo4j', openNeo4j]);
  for (const [name, open] of stores) {
    const store = await open();
    if (typeof store === 'string') {
      console.log(store);
      continue;
    }
    const tag = `bench${randomUUID().slice(0, 8)}`;
    try {
      rows.push(
        ...(name === 'memory'
          ? [...(await spanMemoryRows(spanInput, tag)), ...(await durableSpanRows(spanInput))]
          : await spanNeo4jRows(spanInput, store, tag, arg(args, '--sustain', 60))),
      );
      console.log(`span rows into ${name} done: ${loadLine()}`);
      rows.push(...(await logStoreRows(p, store, name, tag)));
      rows.push(...(await metricStoreRows(m, store, name, tag)));
      const counts = await store.counts();
      console.log(
        `${name}: graph holds ${counts.nodes.toLocaleString('en-US')} nodes, ${counts.edges.toLocaleString('en-US')} relationships after the run (all tests' data included)`,
      );
    } finally {
      await cleanup(store, tag);
      await store.close();
    }
  }
  printTable(
    'Ingest throughput (one process; windows of 60 s; requests of 100 traces / 1,000 log lines)',
    ['items', 'path', 'count', 'seconds', 'per second'],
    rows,
  );
  printSpanCpuTable();
}
