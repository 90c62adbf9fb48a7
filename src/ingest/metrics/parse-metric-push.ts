import { InputError } from '../../errors.js';
import type { MetricSample } from '../../metrics/buffer-metric-source.js';

/** Result of parsing a push: samples of the good series, and the bad series with their paths. */
export interface ParsedMetricPush {
  accepted: MetricSample[];
  /** Number of series accepted. */
  series: number;
  rejected: Array<{ where: string; reason: string }>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function series(raw: unknown, where: string): MetricSample[] {
  if (!isObj(raw)) throw new InputError(where, 'expected {entity, metric, timestamps, values}');
  const { entity, metric, timestamps, values } = raw;
  if (typeof entity !== 'string' || entity === '' || entity.includes('|'))
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
  return timestamps.map((t, i) => {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
      throw new InputError(`${where}.timestamps[${i}]`, 'not a number of unix seconds');
    const v = values[i];
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v)))
      throw new InputError(`${where}.values[${i}]`, 'not a finite number or null');
    return { entity, metric, t, v: v === null ? Number.NaN : v };
  });
}

/**
 * Validates a `POST /v1/metrics` body: `{"series":[{"entity":"cartservice","metric":"cpu_usage",
 * "timestamps":[1700000000,…],"values":[0.4,null,…]}]}` (unix seconds; null = no sample). A bad
 * series is rejected whole with its path (`series[2].values[7]`); the others are kept. Pure.
 */
export function parseMetricPush(payload: unknown): ParsedMetricPush {
  if (!isObj(payload) || !Array.isArray(payload.series))
    throw new InputError('series', 'expected a JSON object with a "series" list');
  const out: ParsedMetricPush = { accepted: [], series: 0, rejected: [] };
  payload.series.forEach((s, i) => {
    try {
      out.accepted.push(...series(s, `series[${i}]`));
      out.series++;
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      out.rejected.push({ where: err.where, reason: err.message.slice(err.where.length + 2) });
    }
  });
  return out;
}
