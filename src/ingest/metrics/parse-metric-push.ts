import { asRejection, InputError } from '../../errors.js';
import type { MetricSample } from '../../metrics/buffer-metric-source.js';
import { entityFromPush, PUSH_KINDS, type PushKind } from '../identity/telemetry-entity.js';
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

function series(raw: unknown, where: string, placed: EntitySeries[]): MetricSample[] {
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
  const samples = timestamps.map((t, i) => {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
      throw new InputError(`${where}.timestamps[${i}]`, 'not a number of unix seconds');
    const v = values[i];
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v)))
      throw new InputError(`${where}.values[${i}]`, 'not a finite number or null');
    return { entity, metric, t, v: v === null ? Number.NaN : v };
  });
  placed.push({ placed: at, metric });
  return samples;
}

/**
 * Validates a `POST /v1/push/metrics` body (rootgraph's own JSON push): `{"series":[{"entity":"cartservice",
 * "metric":"cpu_usage","timestamps":[1700000000,…],"values":[0.4,null,…]}]}` (unix seconds; null = no
 * sample); optional per series: `namespace`, and `kind` (service by default, or pod, deployment,
 * statefulset, daemonset, machine) so a pod's series land on the Pod, never on a Service. A bad
 * series is rejected whole with its path (`series[2].values[7]`); the others are kept. Pure.
 */
export function parseMetricPush(payload: unknown): ParsedMetricPush {
  if (!isObj(payload) || !Array.isArray(payload.series))
    throw new InputError('series', 'expected a JSON object with a "series" list');
  const out: ParsedMetricPush = { accepted: [], series: 0, placed: [], rejected: [] };
  payload.series.forEach((s, i) => {
    try {
      for (const x of series(s, `series[${i}]`, out.placed)) out.accepted.push(x);
      out.series++;
    } catch (err) {
      out.rejected.push(asRejection(err));
    }
  });
  return out;
}
