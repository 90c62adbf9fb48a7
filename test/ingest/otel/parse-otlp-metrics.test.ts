import { describe, expect, it } from 'vitest';
import { MetricNormaliser, bucketQuantile } from '../../../src/ingest/metrics/metric-normaliser.js';
import { decodeOtlpProtobuf, otlpType } from '../../../src/ingest/otel/otlp-proto.js';
import { parseOtlpMetrics } from '../../../src/ingest/otel/parse-otlp-metrics.js';
import { uids } from '../../../src/model/uid.js';

const T0 = 1_700_000_000;
const nanos = (s: number) => `${BigInt(Math.round(s * 1e9))}`;
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const POD = [
  str('service.name', 'cartservice'),
  str('k8s.namespace.name', 'shop'),
  str('k8s.pod.name', 'cartservice-7d9f-abcde'),
  str('k8s.deployment.name', 'cartservice'),
  str('k8s.node.name', 'node-1'),
];

function request(metrics: unknown[], resource = POD) {
  return {
    resourceMetrics: [{ resource: { attributes: resource }, scopeMetrics: [{ scope: { name: 't' }, metrics }] }],
  };
}

const sumPoint = (t: number, v: number, start = T0 - 60, attrs: unknown[] = []) => ({
  startTimeUnixNano: nanos(start),
  timeUnixNano: nanos(t),
  asInt: String(v),
  attributes: attrs,
});

describe('OTLP metrics', () => {
  it('puts a pod’s series on the Pod (never a Service named after the pod) and links it to workload, Service and node', () => {
    const parsed = parseOtlpMetrics(
      request([{ name: 'memory', gauge: { dataPoints: [{ timeUnixNano: nanos(T0), asDouble: 12.5 }] } }]),
    );
    expect(parsed.rejected).toEqual([]);
    const { entity, nodes, edges } = parsed.accepted[0].entity;
    expect(entity).toMatchObject({
      uid: uids.pod('cartservice-7d9f-abcde', 'shop'),
      label: 'Pod',
      key: 'shop/cartservice-7d9f-abcde',
    });
    expect(nodes.filter((n) => n.label === 'Service').map((n) => n.uid)).toEqual([uids.service('cartservice', 'shop')]);
    expect(edges.map((e) => `${e.type} ${e.from} → ${e.to}`).sort()).toEqual(
      [
        `MANAGES ${uids.deployment('cartservice', 'shop')} → ${entity.uid}`,
        `RUNS_ON ${entity.uid} → ${uids.machine('node-1')}`,
        `SELECTS ${uids.service('cartservice', 'shop')} → ${entity.uid}`,
      ].sort(),
    );
  });

  it('turns cumulative counters into per-second rates, starting over after a reset, and keeps point attributes apart', () => {
    const n = new MetricNormaliser();
    const req = (t: number, v: number, start?: number) =>
      parseOtlpMetrics(
        request([
          {
            name: 'requests',
            sum: {
              aggregationTemporality: 2,
              isMonotonic: true,
              dataPoints: [sumPoint(t, v, start, [str('route', '/cart')])],
            },
          },
        ]),
      ).accepted;
    // First point primes (its counter started 60 s earlier: a delta from zero over 60 s).
    expect(n.toSamples(req(T0, 600)).map((s) => [s.metric, s.v])).toEqual([['requests{route=/cart}', 10]]);
    expect(n.toSamples(req(T0 + 30, 1200)).map((s) => s.v)).toEqual([20]);
    // The process restarted: a new start time, a smaller value → the delta since the restart.
    expect(n.toSamples(req(T0 + 60, 150, T0 + 45)).map((s) => s.v)).toEqual([10]);
    expect(n.toSamples(req(T0 + 90, 600, T0 + 45)).map((s) => s.v)).toEqual([15]);
  });

  it('delta sums are rates over their own interval; up-down sums and gauges stay levels', () => {
    const parsed = parseOtlpMetrics(
      request([
        { name: 'd', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [sumPoint(T0, 120, T0 - 60)] } },
        { name: 'queue', sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints: [sumPoint(T0, -3)] } },
      ]),
    );
    expect(new MetricNormaliser().toSamples(parsed.accepted).map((s) => [s.metric, s.v])).toEqual([
      ['d', 2],
      ['queue', -3],
    ]);
  });

  it('histograms give quantiles of the interval, the rate and the mean; exponential buckets are read too', () => {
    const hist = (t: number, counts: number[], count: number, sum: number) => ({
      name: 'latency',
      histogram: {
        aggregationTemporality: 2,
        dataPoints: [
          {
            startTimeUnixNano: nanos(T0 - 10),
            timeUnixNano: nanos(t),
            count: String(count),
            sum,
            explicitBounds: [10, 100, 1000],
            bucketCounts: counts.map(String),
          },
        ],
      },
    });
    const n = new MetricNormaliser();
    n.toSamples(parseOtlpMetrics(request([hist(T0, [10, 0, 0, 0], 10, 50)])).accepted);
    // In the next 10 s: 100 requests, all between 100 and 1000 ms.
    const s = new Map(
      n
        .toSamples(parseOtlpMetrics(request([hist(T0 + 10, [10, 0, 100, 0], 110, 50 + 100 * 500)])).accepted)
        .map((x) => [x.metric, x.v]),
    );
    expect(s.get('latency_p50')).toBeCloseTo(550);
    expect(s.get('latency_p99')).toBeCloseTo(991);
    expect(s.get('latency_count')).toBeCloseTo(10);
    expect(s.get('latency_mean')).toBeCloseTo(500);
    const exp = parseOtlpMetrics(
      request([
        {
          name: 'size',
          exponentialHistogram: {
            aggregationTemporality: 1,
            dataPoints: [
              {
                startTimeUnixNano: nanos(T0 - 1),
                timeUnixNano: nanos(T0),
                count: '4',
                sum: 20,
                scale: 0,
                zeroCount: '0',
                positive: { offset: 2, bucketCounts: ['4'] },
              },
            ],
          },
        },
      ]),
    ).accepted;
    // Scale 0, offset 2: the one bucket holds (4, 8]; the median is halfway.
    expect(new Map(new MetricNormaliser().toSamples(exp).map((x) => [x.metric, x.v])).get('size_p50')).toBeCloseTo(6);
    expect(bucketQuantile(0.5, [1, 2], [0, 0, 0])).toBeNaN();
  });

  it('summaries give their quantiles; exemplars name their trace', () => {
    const parsed = parseOtlpMetrics(
      request([
        {
          name: 'rpc',
          summary: {
            dataPoints: [
              { timeUnixNano: nanos(T0), count: '5', sum: 10, quantileValues: [{ quantile: 0.99, value: 7 }] },
            ],
          },
        },
        {
          name: 'g',
          gauge: {
            dataPoints: [
              {
                timeUnixNano: nanos(T0),
                asDouble: 1,
                exemplars: [{ traceId: '5b8efff798038103d269b633813fc60c', asDouble: 1 }],
              },
            ],
          },
        },
      ]),
    );
    expect(new MetricNormaliser().toSamples(parsed.accepted).map((s) => [s.metric, s.v])).toEqual([
      ['rpc_p99', 7],
      ['g', 1],
    ]);
    expect(parsed.accepted[1].exemplarTraceId).toBe('5b8efff798038103d269b633813fc60c');
  });

  it('rejects one bad data point with its path and keeps the rest; a resource naming nothing is rejected whole', () => {
    const parsed = parseOtlpMetrics(
      request([
        {
          name: 'g',
          gauge: {
            dataPoints: [
              { timeUnixNano: 'soon', asDouble: 1 },
              { timeUnixNano: nanos(T0), asDouble: 2 },
            ],
          },
        },
      ]),
    );
    expect(parsed.accepted).toHaveLength(1);
    expect(parsed.rejected).toEqual([
      {
        where: 'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].timeUnixNano',
        reason: 'not a number',
      },
    ]);
    const anonymous = parseOtlpMetrics(request([{ name: 'g', gauge: { dataPoints: [] } }], []));
    expect(anonymous.rejected[0].where).toBe('resourceMetrics[0].resource.attributes');
  });

  it('decodes the protobuf encoding into the same points as the JSON one', () => {
    const json = request([
      { name: 'requests', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [sumPoint(T0, 5)] } },
    ]);
    const type = otlpType('ExportMetricsServiceRequest');
    const bytes = type.encode(type.fromObject(json)).finish();
    const fromProto = parseOtlpMetrics(decodeOtlpProtobuf('metrics', bytes)).accepted;
    expect(fromProto).toEqual(parseOtlpMetrics(json).accepted);
  });
});
