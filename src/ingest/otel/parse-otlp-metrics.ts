/**
 * Validates an OTLP ExportMetricsServiceRequest (JSON encoding, or protobuf decoded by
 * decodeOtlpProtobuf) into typed data points: Gauge, Sum (either temporality, monotonic or not),
 * Histogram, ExponentialHistogram (turned into explicit buckets) and Summary, each with its resource's
 * entity. A bad data point is rejected with its path; the others are kept. Pure.
 * Spec: opentelemetry-proto metrics/v1/metrics.proto and the OTLP/HTTP JSON encoding.
 */
import { asRejection, InputError } from '../../errors.js';
import { entityFromResource, type PlacedEntity } from '../identity/telemetry-entity.js';
import { INPUT_LIMITS, timeProblem, tooManyItems, type ReceiveOptions } from '../input-limits.js';
import { arrayOr, attributes, fail, isObj, list, nanos, otlpId, type Obj } from './otlp-values.js';

/** AGGREGATION_TEMPORALITY_DELTA and _CUMULATIVE. */
const DELTA = 1;
const CUMULATIVE = 2;

interface PointBase {
  entity: PlacedEntity;
  /** The metric's name. */
  name: string;
  /** The point's attributes as `{k=v,…}` (sorted), or `''`: appended to every series name made from it. */
  labels: string;
  /** Unix seconds of the point (time_unix_nano). */
  t: number;
  /** Unix seconds the cumulative or delta interval started (0 when unknown). */
  start: number;
  /** A trace this point's exemplar links to, when there is one. */
  exemplarTraceId?: string;
}

export type MetricPoint =
  | (PointBase & { kind: 'gauge'; value: number })
  | (PointBase & { kind: 'sum'; value: number; monotonic: boolean; cumulative: boolean })
  | (PointBase & {
      kind: 'histogram';
      cumulative: boolean;
      count: number;
      sum: number | null;
      /** Upper bounds of all buckets but the last (+Inf). */
      bounds: number[];
      counts: number[];
    })
  | (PointBase & { kind: 'summary'; count: number; sum: number; quantiles: Array<{ q: number; value: number }> });

/** Partial failure as data. */
export interface ParsedMetrics {
  accepted: MetricPoint[];
  rejected: Array<{ where: string; reason: string }>;
}

const num = (v: unknown, where: string): number => {
  const n = typeof v === 'string' && v !== '' ? Number(v) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) fail(where, 'expected a number');
  return n;
};
const value = (p: Obj, where: string): number =>
  p.asDouble !== undefined ? num(p.asDouble, `${where}.asDouble`) : num(p.asInt ?? 0, `${where}.asInt`);
const seconds = (v: unknown, where: string): number => Number(nanos(v, where)) / 1e9;
const optionalSeconds = (v: unknown, where: string): number =>
  v === undefined || v === null || v === '0' || v === 0 ? 0 : seconds(v, where);

function labelText(attrs: Record<string, string>): string {
  const keys = Object.keys(attrs).sort();
  return keys.length === 0 ? '' : `{${keys.map((k) => `${k}=${attrs[k]}`).join(',')}}`;
}

function exemplarTrace(p: Obj, where: string): string | undefined {
  for (const [i, e] of list(p.exemplars, `${where}.exemplars`).entries()) {
    if (isObj(e)) {
      const id = otlpId(e.traceId, 16, `${where}.exemplars[${i}].traceId`);
      if (id) return id;
    }
  }
  return undefined;
}

function base(entity: PlacedEntity, name: string, p: Obj, where: string, opts: ReceiveOptions): PointBase {
  const attrs = attributes(p.attributes, `${where}.attributes`);
  const t = seconds(p.timeUnixNano, `${where}.timeUnixNano`);
  const skew = timeProblem(t * 1000, opts);
  if (skew) fail(`${where}.timeUnixNano`, skew);
  const exemplarTraceId = exemplarTrace(p, where);
  return {
    entity,
    name,
    labels: labelText(attrs),
    t,
    start: optionalSeconds(p.startTimeUnixNano, `${where}.startTimeUnixNano`),
    ...(exemplarTraceId ? { exemplarTraceId } : {}),
  };
}

function temporality(data: Obj, where: string): boolean {
  const t = Number(data.aggregationTemporality ?? 0);
  if (t !== DELTA && t !== CUMULATIVE) fail(`${where}.aggregationTemporality`, 'expected 1 (delta) or 2 (cumulative)');
  return t === CUMULATIVE;
}

function counts(v: unknown, where: string): number[] {
  return list(v, where).map((c, i) => num(c, `${where}[${i}]`));
}

/** Base-2 exponential buckets → explicit upper bounds (zero bucket first, negatives folded into it). */
function exponentialToExplicit(p: Obj, where: string): { bounds: number[]; counts: number[] } {
  const scale = num(p.scale ?? 0, `${where}.scale`);
  const base = 2 ** (2 ** -scale);
  const pos = isObj(p.positive) ? p.positive : {};
  const offset = num(pos.offset ?? 0, `${where}.positive.offset`);
  const posCounts = counts(pos.bucketCounts, `${where}.positive.bucketCounts`);
  const neg = isObj(p.negative) ? counts(p.negative.bucketCounts, `${where}.negative.bucketCounts`) : [];
  const zero = num(p.zeroCount ?? 0, `${where}.zeroCount`) + neg.reduce((a, b) => a + b, 0);
  // Bucket index i holds values in (base^i, base^(i+1)]; an empty bucket up to base^offset keeps the lower edge.
  const bounds = [0, base ** offset, ...posCounts.map((_, i) => base ** (offset + i + 1))];
  return { bounds, counts: [zero, 0, ...posCounts, 0] };
}

function points(
  entity: PlacedEntity,
  m: Obj,
  where: string,
  reject: (err: unknown) => void,
  opts: ReceiveOptions,
): MetricPoint[] {
  if (typeof m.name !== 'string' || m.name === '') fail(`${where}.name`, 'required, a non-empty string');
  const name = m.name;
  // One bad data point is rejected alone; its metric's other points are kept.
  const each = <T>(data: unknown, dw: string, f: (p: Obj, w: string) => T): T[] =>
    list(isObj(data) ? data.dataPoints : undefined, `${dw}.dataPoints`).flatMap((p, i) => {
      const w = `${dw}.dataPoints[${i}]`;
      try {
        if (!isObj(p)) fail(w, 'expected a data point object');
        return [f(p, w)];
      } catch (err) {
        reject(err);
        return [];
      }
    });
  if (isObj(m.gauge))
    return each(m.gauge, `${where}.gauge`, (p, w) => ({
      kind: 'gauge',
      ...base(entity, name, p, w, opts),
      value: value(p, w),
    }));
  if (isObj(m.sum)) {
    const sum = m.sum;
    const cumulative = temporality(sum, `${where}.sum`);
    return each(sum, `${where}.sum`, (p, w) => ({
      kind: 'sum',
      ...base(entity, name, p, w, opts),
      value: value(p, w),
      monotonic: sum.isMonotonic === true,
      cumulative,
    }));
  }
  if (isObj(m.histogram)) {
    const cumulative = temporality(m.histogram, `${where}.histogram`);
    return each(m.histogram, `${where}.histogram`, (p, w) => ({
      kind: 'histogram',
      ...base(entity, name, p, w, opts),
      cumulative,
      count: num(p.count ?? 0, `${w}.count`),
      sum: p.sum === undefined ? null : num(p.sum, `${w}.sum`),
      bounds: counts(p.explicitBounds, `${w}.explicitBounds`),
      counts: counts(p.bucketCounts, `${w}.bucketCounts`),
    }));
  }
  if (isObj(m.exponentialHistogram)) {
    const cumulative = temporality(m.exponentialHistogram, `${where}.exponentialHistogram`);
    return each(m.exponentialHistogram, `${where}.exponentialHistogram`, (p, w) => ({
      kind: 'histogram',
      ...base(entity, name, p, w, opts),
      cumulative,
      count: num(p.count ?? 0, `${w}.count`),
      sum: p.sum === undefined ? null : num(p.sum, `${w}.sum`),
      ...exponentialToExplicit(p, w),
    }));
  }
  if (isObj(m.summary))
    return each(m.summary, `${where}.summary`, (p, w) => ({
      kind: 'summary',
      ...base(entity, name, p, w, opts),
      count: num(p.count ?? 0, `${w}.count`),
      sum: num(p.sum ?? 0, `${w}.sum`),
      quantiles: list(p.quantileValues, `${w}.quantileValues`).map((q, i) => {
        if (!isObj(q)) fail(`${w}.quantileValues[${i}]`, 'expected an object');
        return {
          q: num(q.quantile ?? 0, `${w}.quantileValues[${i}].quantile`),
          value: num(q.value ?? 0, `${w}.quantileValues[${i}].value`),
        };
      }),
    }));
  return fail(where, 'expected one of gauge, sum, histogram, exponentialHistogram, summary');
}

const KINDS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

/** Data points in an export request, counted without parsing them (malformed levels count as none). */
export function countOtlpDataPoints(payload: Obj): number {
  let n = 0;
  for (const rm of arrayOr(payload.resourceMetrics))
    for (const sm of arrayOr(isObj(rm) ? rm.scopeMetrics : undefined))
      for (const m of arrayOr(isObj(sm) ? sm.metrics : undefined))
        if (isObj(m)) {
          // The first kind present is the one parsed (points() checks them in this order).
          const data = KINDS.map((k) => m[k]).find(isObj);
          n += arrayOr(data?.dataPoints).length;
        }
  return n;
}

/**
 * Parses the request; throws InputError only when the envelope is not an export request, or it holds
 * more data points than INPUT_LIMITS.maxMetricPointsPerRequest (counted before any is parsed).
 */
export function parseOtlpMetrics(payload: unknown, cluster = 'default', opts: ReceiveOptions = {}): ParsedMetrics {
  if (!isObj(payload))
    throw new InputError('', 'expected an OTLP ExportMetricsServiceRequest (a JSON object with "resourceMetrics")');
  const count = countOtlpDataPoints(payload);
  if (count > INPUT_LIMITS.maxMetricPointsPerRequest)
    throw tooManyItems('data points', count, 'maxMetricPointsPerRequest', "Lower the exporter's batch size.");
  const out: ParsedMetrics = { accepted: [], rejected: [] };
  const reject = (err: unknown) => {
    out.rejected.push(asRejection(err));
  };
  list(payload.resourceMetrics, 'resourceMetrics').forEach((rm, i) => {
    const w = `resourceMetrics[${i}]`;
    try {
      if (!isObj(rm)) fail(w, 'expected an object');
      const resource = isObj(rm.resource) ? rm.resource : {};
      const entity = entityFromResource(attributes(resource.attributes, `${w}.resource.attributes`), cluster);
      if (!entity) fail(`${w}.resource.attributes`, 'names no entity: set service.name, k8s.pod.name or k8s.node.name');
      list(rm.scopeMetrics, `${w}.scopeMetrics`).forEach((sm, j) => {
        const sw = `${w}.scopeMetrics[${j}]`;
        list(isObj(sm) ? sm.metrics : undefined, `${sw}.metrics`).forEach((m, k) => {
          const mw = `${sw}.metrics[${k}]`;
          try {
            if (!isObj(m)) fail(mw, 'expected a metric object');
            for (const p of points(entity, m, mw, reject, opts)) out.accepted.push(p);
          } catch (err) {
            reject(err);
          }
        });
      });
    } catch (err) {
      reject(err);
    }
  });
  return out;
}
