import { asRejection, InputError } from '../../errors.js';
import type { MetricSample } from '../../metrics/buffer-metric-source.js';
import { entityFromPush, PUSH_KINDS, type PushKind } from '../identity/telemetry-entity.js';
import { INPUT_LIMITS, timeProblem, tooManyItems, type ReceiveOptions } from '../input-limits.js';
import type { EntitySeries } from './to-metric-series-batch.js';

/** Result of parsing a push: samples of the good series, the series on their entities, and the bad series with their paths. */
export interface ParsedMetricPush {
  accepted: MetricSample[];
  /** Number of series accepted. */
  series: number;
  placed: EntitySeries[];
  rejected: Array<{ where: string; reason: string }>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Thrown by `series` when every sample was rejected for its time (already listed). */
const SKIPPED = new Error('every sample rejected');

/** One series' samples; a sample outside the receiving clock's window is rejected alone (pushed to `rejected`). */
function series(
  raw: unknown,
  where: string,
  out: Pick<ParsedMetricPush, 'placed' | 'rejected'>,
  opts: ReceiveOptions,
): MetricSample[] {
  if (!isObj(raw)) throw new InputError(where, 'expected {entity, metric, timestamps, values}');
  const { entity: name, metric, timestamps, values, namespace, kind = 'service' } = raw;
  if (!PUSH_KINDS.includes(kind as PushKind))
    throw new InputError(`${where}.kind`, `expected one of ${PUSH_KINDS.join(', ')}`);
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace === '' || namespace.includes('/')))
    throw new InputError(`${where}.namespace`, 'expected a non-empty string without "/"');
  if (typeof name !== 'string' || name === '' || name.includes('|'))
    throw new InputError(`${where}.entity`, 'expected a non-empty string without "|"');
  if (typeof metric !== 'string' || metric === '' || metric.includes('|'))
    throw new InputError(`${where}.metric`, 'expected a non-empty string without "|"');
  if (!Array.isArray(timestamps)) throw new InputError(`${where}.timestamps`, 'expected a list of unix seconds');
  if (!Array.isArray(values)) throw new InputError(`${where}.values`, 'expected a list of numbers (null = no sample)');
  if (values.length !== timestamps.length)
    throw new InputError(
      `${where}.values`,
      `expected ${timestamps.length} values like timestamps, got ${values.length}`,
    );
  const at = entityFromPush(kind as PushKind, name, namespace as string | undefined);
  const entity = at.entity.key;
  const samples: MetricSample[] = [];
  const skewed: Array<{ where: string; reason: string }> = [];
  timestamps.forEach((t, i) => {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
      throw new InputError(`${where}.timestamps[${i}]`, 'not a number of unix seconds');
    const v = values[i];
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v)))
      throw new InputError(`${where}.values[${i}]`, 'not a finite number or null');
    const skew = timeProblem(t * 1000, opts);
    if (skew) skewed.push({ where: `${where}.timestamps[${i}]`, reason: skew });
    else samples.push({ entity, metric, t, v: v === null ? Number.NaN : v });
  });
  for (const r of skewed) out.rejected.push(r);
  // A series none of whose samples is in the window leaves no trace in the graph.
  if (samples.length === 0 && skewed.length > 0) throw SKIPPED;
  out.placed.push({ placed: at, metric });
  return samples;
}

/**
 * Validates a `POST /v1/push/metrics` body (rootgraph's own JSON push): `{"series":[{"entity":"cartservice",
 * "metric":"cpu_usage","timestamps":[1700000000,…],"values":[0.4,null,…]}]}` (unix seconds; null = no
 * sample); optional per series: `namespace`, and `kind` (service by default, or pod, deployment,
 * statefulset, daemonset, machine) so a pod's series land on the Pod, never on a Service. A bad
 * series is rejected whole with its path (`series[2].values[7]`); the others are kept. With a receiving
 * clock (`opts.nowMs`), a sample too far in the future or past is rejected alone
 * (`series[2].timestamps[7]`). Throws InputError for a body past maxSeriesPerRequest or
 * maxSamplesPerRequest, before any series is read. Pure.
 */
export function parseMetricPush(payload: unknown, opts: ReceiveOptions = {}): ParsedMetricPush {
  if (!isObj(payload) || !Array.isArray(payload.series))
    throw new InputError('series', 'expected a JSON object with a "series" list');
  const hint = 'Send the series in several pushes.';
  if (payload.series.length > INPUT_LIMITS.maxSeriesPerRequest)
    throw tooManyItems('series', payload.series.length, 'maxSeriesPerRequest', hint);
  const samples = payload.series.reduce<number>(
    (n, s) => n + (isObj(s) && Array.isArray(s.timestamps) ? s.timestamps.length : 0),
    0,
  );
  if (samples > INPUT_LIMITS.maxSamplesPerRequest) throw tooManyItems('samples', samples, 'maxSamplesPerRequest', hint);
  const out: ParsedMetricPush = { accepted: [], series: 0, placed: [], rejected: [] };
  payload.series.forEach((s, i) => {
    try {
      for (const x of series(s, `series[${i}]`, out, opts)) out.accepted.push(x);
      out.series++;
    } catch (err) {
      if (err !== SKIPPED) out.rejected.push(asRejection(err));
    }
  });
  return out;
}
