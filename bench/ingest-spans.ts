// The span rows of `npm run bench -- ingest`: parse-only beside end to end into each store, measured as the
// median of 3 passes after a warm-up pass (so the JIT has compiled the hot path), and spans into Neo4j
// sustained for a minute.
import os from 'node:os';
import protobuf from 'protobufjs/minimal.js';
import type { GraphStore } from '../src/graph/graph-store.js';
import { MemoryGraphStore } from '../src/graph/memory/memory-graph-store.js';
import { parseOtlpTracesProtobuf } from '../src/ingest/otel/decode-otlp-traces.js';
import { parseOtlpTraces } from '../src/ingest/otel/parse-otlp-traces.js';
import { MemorySpanBuffer } from '../src/ingest/traces/memory-span-buffer.js';
import { TraceIngestor } from '../src/ingest/traces/trace-ingestor.js';
import { printTable, timeMs } from './table.js';

type Row = Array<string | number>;

/** The requests of one run, in both encodings. */
export interface SpanPayloads {
  json: Array<{ resourceSpans: unknown[] }>;
  proto: Uint8Array[];
  /** The protobuf requests with every span named by a raw URL (a one-off name each), when measured. */
  rawUrlProto?: Uint8Array[];
  spans: number;
}

/** The server's tick: with `writeEveryMs` the trace statistics are written at most once a second. */
const TICK_MS = 1_000;

const row = (path: string, spans: number, ms: number): Row => ['spans', path, spans, ms / 1000, spans / (ms / 1000)];

/** CPU time of the same passes (this process only), steadier than wall time on a shared machine. */
const cpuRows: Row[] = [];

/** Median wall time (ms) of `runs` passes after one warm-up pass; the median pass's CPU time goes to `cpuRows`. */
async function median(path: string, spans: number, fn: () => Promise<unknown> | unknown, runs = 3): Promise<number> {
  await fn();
  const passes: Array<{ ms: number; cpuMs: number }> = [];
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const ms = await timeMs(fn);
    const used = process.cpuUsage(cpu);
    passes.push({ ms, cpuMs: (used.user + used.system) / 1000 });
  }
  const mid = passes.sort((a, b) => a.ms - b.ms)[Math.floor(runs / 2)];
  cpuRows.push([path, mid.cpuMs / 1000, spans / (mid.cpuMs / 1000)]);
  return mid.ms;
}

/** Prints the CPU time of the span rows measured so far. */
export function printSpanCpuTable(): void {
  printTable(
    'Span rows, CPU time of the median pass (this process)',
    ['path', 'CPU seconds', 'spans per CPU-second'],
    cpuRows,
  );
}

/** The load on the machine, printed with the figures (the machine is shared). */
export const loadLine = (): string =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${os.cpus().length} cores`;

/** Parse-only rows: OTLP JSON, and protobuf decoded straight into span records. */
export async function spanParseRows(p: SpanPayloads): Promise<Row[]> {
  const json = 'parse OTLP JSON (no store)';
  const proto = 'decode + parse OTLP protobuf (no store)';
  const raw = 'decode + parse OTLP protobuf, every span named by a raw URL (no store)';
  const rawUrlProto = p.rawUrlProto;
  return [
    row(json, p.spans, await median(json, p.spans, () => p.json.forEach((b) => parseOtlpTraces(b)))),
    row(proto, p.spans, await median(proto, p.spans, () => p.proto.forEach((b) => parseOtlpTracesProtobuf(b)))),
    ...(rawUrlProto
      ? [row(raw, p.spans, await median(raw, p.spans, () => rawUrlProto.forEach((b) => parseOtlpTracesProtobuf(b))))]
      : []),
  ];
}

/** Every request through parse → trace aggregation → graph; `writeEveryMs` 0 writes after every request. */
async function feed(
  store: GraphStore,
  p: SpanPayloads,
  cluster: string,
  how: 'json' | 'proto',
  writeEveryMs: number,
  recent?: MemorySpanBuffer,
) {
  const traces = new TraceIngestor(store, { cluster, traceIdleMs: 0, writeEveryMs, ...(recent ? { recent } : {}) });
  if (how === 'json') for (const b of p.json) await traces.ingest(parseOtlpTraces(b).accepted);
  else for (const b of p.proto) await traces.ingest(parseOtlpTracesProtobuf(b).accepted);
  await traces.flush();
}

/** End-to-end rows into the memory graph (a fresh graph per pass). */
export async function spanMemoryRows(p: SpanPayloads, tag: string): Promise<Row[]> {
  const rows: Row[] = [];
  const cases: Array<['json' | 'proto', number, string, boolean?]> = [
    ['json', 0, 'JSON → memory graph (end to end, written after every request)'],
    ['proto', 0, 'protobuf → memory graph (end to end, written after every request)'],
    ['json', TICK_MS, 'JSON → memory graph (end to end, written once a second)'],
    ['proto', TICK_MS, 'protobuf → memory graph (end to end, written once a second)'],
    ['proto', TICK_MS, 'protobuf → memory graph, once a second, recent spans kept for RCA (as serve runs)', true],
  ];
  for (const [how, every, path, keep] of cases) {
    const ms = await median(path, p.spans, async () => {
      const store = await MemoryGraphStore.open();
      await feed(store, p, tag, how, every, keep ? new MemorySpanBuffer() : undefined);
      await store.close();
    });
    rows.push(row(path, p.spans, ms));
  }
  return rows;
}

/** End-to-end rows into Neo4j: one pass written after every request, then `seconds` sustained, written once a second. */
export async function spanNeo4jRows(p: SpanPayloads, store: GraphStore, tag: string, seconds: number): Promise<Row[]> {
  const rows: Row[] = [];
  const once = await timeMs(() => feed(store, p, `${tag}a`, 'proto', 0));
  rows.push(row('protobuf → Neo4j graph (end to end, written after every request)', p.spans, once));
  const s = await sustained(store, p, `${tag}b`, seconds);
  rows.push(row(`protobuf → Neo4j graph, sustained ${seconds} s (written once a second)`, s.spans, s.ms));
  return rows;
}

/**
 * Feeds the protobuf requests over and over for `seconds`, each pass with its trace ids changed (so
 * every pass is new traces, not replays), then waits for the last write.
 */
async function sustained(store: GraphStore, p: SpanPayloads, cluster: string, seconds: number) {
  const offsets = p.proto.map(traceIdOffsets);
  const counts = p.proto.map((b) => parseOtlpTracesProtobuf(b).accepted.length);
  const traces = new TraceIngestor(store, { cluster, traceIdleMs: 0, writeEveryMs: TICK_MS });
  let spans = 0;
  const ms = await timeMs(async () => {
    const until = performance.now() + seconds * 1000;
    for (let pass = 1; performance.now() < until; pass++)
      for (let i = 0; i < p.proto.length && performance.now() < until; i++) {
        await traces.ingest(parseOtlpTracesProtobuf(withPass(p.proto[i], offsets[i], pass)).accepted);
        spans += counts[i];
      }
    await traces.flush();
  });
  return { spans, ms };
}

/** A copy of the request whose trace ids are xored with the pass number (spans of one trace stay together). */
function withPass(body: Uint8Array, offsets: number[], pass: number): Buffer {
  const b = Buffer.from(body);
  for (const o of offsets) {
    b[o] ^= pass & 255;
    b[o + 1] ^= (pass >> 8) & 255;
  }
  return b;
}

/** Byte offsets of every span's traceId in an ExportTraceServiceRequest. */
function traceIdOffsets(buf: Uint8Array): number[] {
  const out: number[] = [];
  const fields = (start: number, end: number, on: (field: number, at: number, length: number) => void) => {
    const r = protobuf.Reader.create(buf);
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if ((tag & 7) !== 2) {
        r.skipType(tag & 7);
        continue;
      }
      const length = r.uint32();
      on(tag >>> 3, r.pos, length);
      r.pos += length;
    }
  };
  fields(0, buf.length, (f, at, n) => {
    if (f === 1)
      fields(at, at + n, (f2, at2, n2) => {
        if (f2 === 2)
          fields(at2, at2 + n2, (f3, at3, n3) => {
            if (f3 === 2)
              fields(at3, at3 + n3, (f4, at4, n4) => {
                if (f4 === 1 && n4 === 16) out.push(at4);
              });
          });
      });
  });
  return out;
}
