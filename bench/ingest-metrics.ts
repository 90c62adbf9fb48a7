// Metric rows of `npm run bench -- ingest`: OTLP metrics (JSON, protobuf) and Prometheus remote-write
// (snappy protobuf) from the simulated system's series, parsed alone and stored end to end.
import { compressSync } from 'snappy';
import type { GraphStore } from '../src/graph/graph-store.js';
import { MetricIngestor } from '../src/ingest/metrics/metric-ingestor.js';
import { decodeOtlpProtobuf, otlpType } from '../src/ingest/otel/otlp-proto.js';
import { parseOtlpMetrics } from '../src/ingest/otel/parse-otlp-metrics.js';
import { decodeRemoteWrite, parseRemoteWrite, WriteRequest } from '../src/ingest/prometheus/parse-remote-write.js';
import { SerialWriter } from '../src/ingest/serial-writer.js';
import { BufferMetricSource } from '../src/metrics/buffer-metric-source.js';
import { simulate, toOtlpMetrics } from '../src/sim/index.js';
import { timeMs } from './table.js';

type Row = Array<string | number>;

/** One request per simulated minute per format, as a collector or Prometheus would send them. */
export function metricPayloads(minutes: number) {
  const run = simulate({
    system: 'online-boutique',
    seed: 1,
    start: Date.UTC(2026, 0, 1),
    durationS: minutes * 60,
    stepS: 10,
    faults: [],
    traceRatePerS: 0,
  });
  const ts = [...run.metrics.timestamps];
  const series = [...run.metrics.series.values()];
  const nsOf = new Map(run.topology.services.map((s) => [s.name, s.namespace]));
  const podService = new Map(run.topology.pods.map((p) => [p.name, p.service]));
  const otlp: Array<{ resourceMetrics: unknown[] }> = [];
  const remote: Buffer[] = [];
  let points = 0;
  for (let m = 0; m < minutes; m++) {
    const idx = ts.flatMap((t, i) => (t - ts[0] >= m * 60 && t - ts[0] < (m + 1) * 60 ? [i] : []));
    const slice = series.map((s) => ({ ...s, values: idx.map((i) => s.values[i]) }));
    otlp.push(toOtlpMetrics(run.topology, { timestamps: idx.map((i) => ts[i]), series: slice }));
    points += slice.reduce((a, s) => a + s.values.filter(Number.isFinite).length, 0);
    const timeseries = slice.map((s) => {
      const ns = nsOf.get(s.kind === 'pod' ? (podService.get(s.entity) ?? s.entity) : s.entity) ?? 'default';
      const identity =
        s.kind === 'machine'
          ? { node: s.entity }
          : s.kind === 'pod'
            ? { namespace: ns, pod: s.entity }
            : { namespace: ns, service: s.entity };
      const labels = Object.entries({ __name__: s.metric, ...identity }).map(([name, value]) => ({ name, value }));
      return {
        labels,
        samples: idx.flatMap((i, k) =>
          Number.isFinite(s.values[k]) ? [{ value: s.values[k], timestamp: ts[i] * 1000 }] : [],
        ),
      };
    });
    remote.push(compressSync(Buffer.from(WriteRequest.encode(WriteRequest.fromObject({ timeseries })).finish())));
  }
  const type = otlpType('ExportMetricsServiceRequest');
  const protobufBodies = otlp.map((b) => type.encode(type.fromObject(b)).finish());
  return { otlp, protobufBodies, remote, points };
}

/** Parse-only rows (no store). */
export async function metricParseRows(p: ReturnType<typeof metricPayloads>): Promise<Row[]> {
  const json = await timeMs(() => p.otlp.forEach((b) => parseOtlpMetrics(b)));
  const pb = await timeMs(() => p.protobufBodies.forEach((b) => parseOtlpMetrics(decodeOtlpProtobuf('metrics', b))));
  const rw = await timeMs(() => p.remote.forEach((b) => parseRemoteWrite(decodeRemoteWrite(b))));
  return [
    ['metric points', 'parse OTLP metrics JSON (no store)', p.points, json / 1000, p.points / (json / 1000)],
    ['metric points', 'decode + parse OTLP metrics protobuf (no store)', p.points, pb / 1000, p.points / (pb / 1000)],
    ['metric points', 'snappy + decode + parse remote-write (no store)', p.points, rw / 1000, p.points / (rw / 1000)],
  ];
}

/** End-to-end rows into `store` (metric buffer + entity and series nodes). */
export async function metricStoreRows(
  p: ReturnType<typeof metricPayloads>,
  store: GraphStore,
  name: string,
  cluster: string,
): Promise<Row[]> {
  const ingestor = () => new MetricIngestor(new BufferMetricSource(), new SerialWriter(store));
  const otlp = ingestor();
  const tOtlp = await timeMs(async () => {
    for (const b of p.protobufBodies)
      await otlp.ingest(parseOtlpMetrics(decodeOtlpProtobuf('metrics', b), cluster).accepted);
  });
  const rw = ingestor();
  const tRw = await timeMs(async () => {
    for (const b of p.remote) await rw.ingest(parseRemoteWrite(decodeRemoteWrite(b), cluster).accepted);
  });
  return [
    [
      'metric points',
      `OTLP protobuf → buffer + ${name} graph (end to end)`,
      p.points,
      tOtlp / 1000,
      p.points / (tOtlp / 1000),
    ],
    [
      'metric points',
      `remote-write → buffer + ${name} graph (end to end)`,
      p.points,
      tRw / 1000,
      p.points / (tRw / 1000),
    ],
  ];
}
