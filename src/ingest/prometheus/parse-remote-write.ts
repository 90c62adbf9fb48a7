/**
 * Prometheus remote-write 1.0 (prometheus/prompb): a snappy-compressed (block format) protobuf
 * WriteRequest of labelled series → typed metric points on the entities their labels name
 * (telemetry-entity.ts). Counters (`*_total`, `*_count`, `*_sum`, or typed COUNTER in the metadata)
 * are cumulative monotonic sums; histogram buckets (`*_bucket`) are skipped, since their `_count`
 * and `_sum` carry the rate and the mean; everything else is a gauge. A series that names no entity
 * is rejected with its labels; the rest are kept. Pure apart from the decompression.
 */
import protobuf from 'protobufjs';
import { uncompressSync } from 'snappy';
import { InputError } from '../../errors.js';
import { entityFromPromLabels, PROM_IDENTITY_LABELS } from '../identity/telemetry-entity.js';
import type { MetricPoint } from '../otel/parse-otlp-metrics.js';
import { INPUT_LIMITS, timeProblem, tooManyItems, type ReceiveOptions } from '../input-limits.js';

const f = (type: string, id: number, rule?: 'repeated') => (rule ? { type, id, rule } : { type, id });

// Field numbers of prompb/types.proto and prompb/remote.proto (remote-write 1.0).
const root = protobuf.Root.fromJSON({
  nested: {
    Label: { fields: { name: f('string', 1), value: f('string', 2) } },
    Sample: { fields: { value: f('double', 1), timestamp: f('int64', 2) } },
    TimeSeries: { fields: { labels: f('Label', 1, 'repeated'), samples: f('Sample', 2, 'repeated') } },
    MetricMetadata: { fields: { type: f('int32', 1), metricFamilyName: f('string', 2) } },
    WriteRequest: {
      fields: { timeseries: f('TimeSeries', 1, 'repeated'), metadata: f('MetricMetadata', 3, 'repeated') },
    },
  },
});
/** prometheus.WriteRequest (remote-write 1.0), for decoding here and for encoding in benchmarks. */
export const WriteRequest = root.lookupType('WriteRequest');
const COUNTER = 1;

interface DecodedWrite {
  timeseries?: Array<{
    labels?: Array<{ name: string; value: string }>;
    samples?: Array<{ value: number; timestamp: number }>;
  }>;
  metadata?: Array<{ type?: number; metricFamilyName?: string }>;
}

/** Parsed remote-write request: points, skipped bucket series, and rejected series. */
export interface ParsedRemoteWrite {
  accepted: MetricPoint[];
  /** Series not stored by design (histogram buckets). */
  skipped: number;
  rejected: Array<{ where: string; reason: string }>;
}

const HINT = 'Lower max_samples_per_send in the remote_write queue_config.';

/** Refuses a request past maxSeriesPerRequest or maxSamplesPerRequest, before its series are converted. */
function checkCounts(message: DecodedWrite): void {
  const series = message.timeseries ?? [];
  if (series.length > INPUT_LIMITS.maxSeriesPerRequest)
    throw tooManyItems('series', series.length, 'maxSeriesPerRequest', HINT);
  const samples = series.reduce((n, ts) => n + (ts.samples?.length ?? 0), 0);
  if (samples > INPUT_LIMITS.maxSamplesPerRequest) throw tooManyItems('samples', samples, 'maxSamplesPerRequest', HINT);
}

/**
 * Decompresses and decodes the body; throws InputError (400) when it is not a snappy WriteRequest, or
 * holds more series or samples than INPUT_LIMITS allows.
 */
export function decodeRemoteWrite(body: Uint8Array): DecodedWrite {
  let raw: Buffer;
  try {
    raw = uncompressSync(Buffer.from(body)) as Buffer;
  } catch (err) {
    throw new InputError('body', `not snappy block-compressed: ${(err as Error).message}`, {
      hint: 'Send remote-write 1.0: Content-Encoding: snappy, Content-Type: application/x-protobuf.',
    });
  }
  let message: protobuf.Message;
  try {
    message = WriteRequest.decode(raw);
  } catch (err) {
    throw new InputError('body', `not a protobuf prometheus.WriteRequest: ${(err as Error).message}`);
  }
  checkCounts(message as unknown as DecodedWrite);
  try {
    return WriteRequest.toObject(message, { longs: Number, defaults: false }) as DecodedWrite;
  } catch (err) {
    throw new InputError('body', `not a protobuf prometheus.WriteRequest: ${(err as Error).message}`);
  }
}

const counterByName = (name: string) => /_(total|count|sum)$/.test(name);

/** Typed points of a decoded request. */
export function parseRemoteWrite(req: DecodedWrite, cluster = 'default', opts: ReceiveOptions = {}): ParsedRemoteWrite {
  const counters = new Set(
    (req.metadata ?? [])
      .filter((m) => m.type === COUNTER && m.metricFamilyName)
      .map((m) => m.metricFamilyName as string),
  );
  const out: ParsedRemoteWrite = { accepted: [], skipped: 0, rejected: [] };
  (req.timeseries ?? []).forEach((ts, i) => {
    const labels = Object.fromEntries((ts.labels ?? []).map((l) => [l.name, l.value]));
    const name = labels.__name__;
    if (!name) {
      out.rejected.push({ where: `timeseries[${i}].labels`, reason: 'no __name__ label' });
      return;
    }
    if (name.endsWith('_bucket')) {
      out.skipped++;
      return;
    }
    const entity = entityFromPromLabels(labels, cluster);
    if (!entity) {
      out.rejected.push({
        where: `timeseries[${i}] ${name}`,
        reason: 'its labels name no entity (namespace/pod, service, job, instance or node)',
      });
      return;
    }
    const rest = Object.keys(labels)
      .filter((k) => k !== '__name__' && !PROM_IDENTITY_LABELS.has(k))
      .sort();
    const text = rest.length === 0 ? '' : `{${rest.map((k) => `${k}=${labels[k]}`).join(',')}}`;
    const counter = counters.has(name) || counterByName(name);
    for (const [k, s] of (ts.samples ?? []).entries()) {
      if (!Number.isFinite(s.value)) continue; // staleness markers are NaN
      const skew = timeProblem(Number(s.timestamp), opts);
      if (skew) {
        out.rejected.push({ where: `timeseries[${i}].samples[${k}]`, reason: skew });
        continue;
      }
      const base = { entity, name, labels: text, t: Number(s.timestamp) / 1000, start: 0 };
      out.accepted.push(
        counter
          ? { kind: 'sum', ...base, value: s.value, monotonic: true, cumulative: true }
          : { kind: 'gauge', ...base, value: s.value },
      );
    }
  });
  return out;
}
