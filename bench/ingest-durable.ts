// What durable acknowledgement costs, for `npm run bench -- ingest`: the same protobuf span requests
// through the ingest path with nothing kept (no data folder) and with everything kept (the intake
// journal and the graph's write-ahead journal in a data folder, LMDB group commit), several requests
// in flight as concurrent exporters send them, measured in the same run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryGraphStore } from '../src/graph/memory/memory-graph-store.js';
import { Intake } from '../src/ingest/durable/intake.js';
import { parseOtlpTracesProtobuf } from '../src/ingest/otel/decode-otlp-traces.js';
import { SerialWriter } from '../src/ingest/serial-writer.js';
import { TraceIngestor } from '../src/ingest/traces/trace-ingestor.js';
import type { SpanPayloads } from './ingest-spans.js';
import { timeMs } from './table.js';

type Row = Array<string | number>;

/** Requests in flight at once (exporters of several services sending together). */
const IN_FLIGHT = 8;
const PASSES = 3;

/** One pass: every request parsed and ingested, IN_FLIGHT at a time, then flushed; returns ms. */
async function pass(p: SpanPayloads, durable: boolean): Promise<number> {
  const dir = durable ? await mkdtemp(join(tmpdir(), 'rg-bench-durable-')) : undefined;
  const graph = await MemoryGraphStore.open({ dataDir: dir });
  const intake = dir ? Intake.open(dir) : Intake.volatile();
  const traces = new TraceIngestor(graph, {
    writer: new SerialWriter(graph),
    intake,
    cluster: 'bench-durable',
    traceIdleMs: 0,
    writeEveryMs: 1_000,
  });
  intake.recover();
  let next = 0;
  const ms = await timeMs(async () => {
    const client = async () => {
      // As the server route does: the records for the aggregator, the request's bytes for the journal.
      while (next < p.proto.length) {
        const body = p.proto[next++];
        const nowMs = Date.now();
        await traces.ingest(parseOtlpTracesProtobuf(body, { nowMs }).accepted, { encoding: 'protobuf', body, nowMs });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, client));
    await traces.flush();
  });
  await intake.close();
  await graph.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  return ms;
}

/** Spans/s without and with durable acknowledgement, median of PASSES each (interleaved, after a warm-up of each). */
export async function durableSpanRows(p: SpanPayloads): Promise<Row[]> {
  await pass(p, false);
  await pass(p, true);
  const times: Record<'volatile' | 'durable', number[]> = { volatile: [], durable: [] };
  for (let i = 0; i < PASSES; i++) {
    times.volatile.push(await pass(p, false));
    times.durable.push(await pass(p, true));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = (path: string, ms: number): Row => ['spans', path, p.spans, ms / 1000, p.spans / (ms / 1000)];
  return [
    row(
      `protobuf → memory graph, ${IN_FLIGHT} in flight, nothing kept (no data folder), median of ${PASSES}`,
      median(times.volatile),
    ),
    row(
      `protobuf → memory graph, ${IN_FLIGHT} in flight, durable acknowledgement (intake + graph journal), median of ${PASSES}`,
      median(times.durable),
    ),
  ];
}
