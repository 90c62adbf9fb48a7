import { describe, expect, it } from 'vitest';
import { podOf } from '../../src/cases/export-slips.js';
import type { CaseData } from '../../src/cases/types.js';
import { entityAsRead, sharedName, unifyEntityNames } from '../../src/cases/unify-entity-names.js';
import { editColumns, readWritten, simCaseFiles, topEntities } from './helpers/sim-case.js';

describe('sharedName', () => {
  const used = new Set(['cartservice', 'redis', 'node-exporter', 'cart']);
  it('reads Deployment, DaemonSet and StatefulSet pods and namespaced names as the name in use', () => {
    expect(sharedName('cartservice-7d9f8c6b5-x2k4z', used)).toEqual({ to: 'cartservice', replica: '7d9f8c6b5-x2k4z' });
    expect(sharedName('node-exporter-9vxbq', used)).toEqual({ to: 'node-exporter', replica: '9vxbq' });
    expect(sharedName('redis-0', used)).toEqual({ to: 'redis', replica: '0' });
    expect(sharedName('shop/cartservice', used)).toEqual({ to: 'cartservice', replica: null });
    expect(sharedName('cartservice.shop', used)).toEqual({ to: 'cartservice', replica: null });
    expect(sharedName('cartservice.shop.svc.cluster.local', used)).toEqual({ to: 'cartservice', replica: null });
    // Another cluster domain, and a StatefulSet pod's own DNS name (read as its Service, as span-peer.ts does).
    expect(sharedName('cartservice.shop.svc.corp.example', used)).toEqual({ to: 'cartservice', replica: null });
    expect(sharedName('redis-0.redis.shop.svc.cluster.local', used)).toEqual({ to: 'redis', replica: null });
    expect(sharedName('shop/cartservice-7d9f8c6b5-x2k4z', used)).toEqual({
      to: 'cartservice',
      replica: '7d9f8c6b5-x2k4z',
    });
  });

  it('reads a Deployment pod as its service even when no file names the service', () => {
    expect(sharedName('paymentservice-7d9f8c6b5-x2k4z', used)).toEqual({
      to: 'paymentservice',
      replica: '7d9f8c6b5-x2k4z',
    });
  });

  it('leaves names alone that are not generated pod names, or other pods whose base is not in use', () => {
    // Words: Kubernetes' suffix alphabet has no vowels, so "cart-items" is no pod of "cart".
    expect(sharedName('cart-items', used)).toBeNull();
    expect(sharedName('paymentsvc-7', used)).toBeNull();
    expect(sharedName('fluentd-9vxbq', used)).toBeNull();
    expect(sharedName('cartservice', used)).toBeNull();
    expect(sharedName('shop/payment', used)).toBeNull();
    expect(sharedName('payment.shop', used)).toBeNull();
    // A host name is no namespaced service, even when its first label is a service's name.
    expect(sharedName('cart.example.com', used)).toBeNull();
  });
});

const base: CaseData = {
  name: 'c',
  timestamps: Float64Array.from([1, 2]),
  series: [
    { key: 'cart|cpu', entity: 'cart', metric: 'cpu', values: Float64Array.from([1, 2]) },
    { key: 'front-6b8d9c7f5-q2w4r|cpu', entity: 'front-6b8d9c7f5-q2w4r', metric: 'cpu', values: new Float64Array(2) },
    { key: 'front-6b8d9c7f5-r5t7v|cpu', entity: 'front-6b8d9c7f5-r5t7v', metric: 'cpu', values: new Float64Array(2) },
    { key: 'cart-5f7c9d8b6-zx9kp|mem', entity: 'cart-5f7c9d8b6-zx9kp', metric: 'mem', values: new Float64Array(2) },
  ],
  topology: [
    { source: 'front', target: 'cart' },
    { source: 'front-6b8d9c7f5-q2w4r', target: 'cart' },
  ],
  spans: [
    {
      traceId: 't',
      spanId: 's',
      parentSpanId: null,
      entity: 'cart-5f7c9d8b6-zx9kp',
      operation: 'get',
      startNs: 1,
      durationNs: 1,
      status: '',
    },
  ],
  logs: [{ timestamp: 1, entity: 'shop/cart', level: 'ERROR', message: 'boom' }],
  incident: { start: 2, entry: 'front-6b8d9c7f5-q2w4r' },
  has: { metrics: true, topology: true, traces: true, logs: true },
};

describe('unifyEntityNames', () => {
  it('renames every file alike; two pods of one service keep their columns apart as replicas; edges stay unique', () => {
    const { data, renamed } = unifyEntityNames(base);
    expect(renamed.map((r) => `${r.from}>${r.to}`)).toEqual([
      'cart-5f7c9d8b6-zx9kp>cart',
      'front-6b8d9c7f5-q2w4r>front',
      'front-6b8d9c7f5-r5t7v>front',
      'shop/cart>cart',
    ]);
    // A lone pod's column keeps its metric name (an alarm's entry_metric still names it).
    expect(data.series.map((s) => s.key)).toEqual([
      'cart|cpu',
      'front|cpu@6b8d9c7f5-q2w4r',
      'front|cpu@6b8d9c7f5-r5t7v',
      'cart|mem',
    ]);
    expect(data.topology).toEqual([{ source: 'front', target: 'cart' }]);
    expect(data.spans[0].entity).toBe('cart');
    expect(data.logs[0].entity).toBe('cart');
    expect(data.incident.entry).toBe('front');
  });

  it('reads Deployment pods named throughout as their services, and leaves StatefulSet pods alone', () => {
    const pods: CaseData = { ...base, series: base.series.slice(1, 2), topology: [], logs: [] };
    const { data } = unifyEntityNames(pods);
    expect(data.series.map((s) => s.key)).toEqual(['front|cpu']);
    expect(data.spans[0].entity).toBe('cart');
    const ordinals: CaseData = {
      ...pods,
      series: [{ ...pods.series[0], key: 'redis-0|cpu', entity: 'redis-0' }],
      spans: [{ ...pods.spans[0], entity: 'redis-1' }],
      incident: { start: 2 },
    };
    expect(unifyEntityNames(ordinals)).toEqual({ data: ordinals, renamed: [] });
  });
});

describe('a case whose traces and logs name pods', () => {
  it('ranks as the same case named by service throughout (fails without unification)', async () => {
    const files = simCaseFiles({ type: 'error-return', target: 'cartservice' }, 3);
    // The entity column of traces.csv (4th) and logs.csv (2nd) as k8s.pod.name gives it.
    const pods = (name: string, text: string): string =>
      name === 'traces.csv'
        ? editColumns(text, [3], podOf)
        : name === 'logs.csv'
          ? editColumns(text, [1], podOf)
          : text;
    const plain = await readWritten(files);
    const named = await readWritten(files, pods);
    expect(plain.renamed).toBeUndefined();
    expect(named.renamed?.length).toBeGreaterThan(5);
    expect(topEntities(plain)[0]).toBe('cartservice');
    expect(topEntities(named, 5)).toEqual(topEntities(plain, 5));
  });

  it('ranks as the same case when the logs spell every service in capitals (fails without case folding)', async () => {
    const files = simCaseFiles({ type: 'error-return', target: 'cartservice' }, 3);
    const shouted = (name: string, text: string): string =>
      name === 'logs.csv' ? editColumns(text, [1], (cell) => cell.toUpperCase()) : text;
    const plain = await readWritten(files);
    const named = await readWritten(files, shouted);
    expect(named.renamed?.some((r) => r.from === 'CARTSERVICE' && r.to === 'cartservice')).toBe(true);
    expect(new Set(named.logs.map((l) => l.entity))).toEqual(new Set(plain.logs.map((l) => l.entity)));
    expect(topEntities(named, 5)).toEqual(topEntities(plain, 5));
  });
});

describe('entityAsRead', () => {
  it('gives the name the case was read with: a renamed pod its service, an unseen Deployment pod its service', () => {
    const { data, renamed } = unifyEntityNames(base);
    const read = { ...data, renamed };
    expect(entityAsRead('cart-5f7c9d8b6-zx9kp', read)).toBe('cart');
    expect(entityAsRead('cart-7d9f8c6b5-bcdfg', read)).toBe('cart'); // the injected pod, not in any file
    expect(entityAsRead('shop/cart', read)).toBe('cart');
    expect(entityAsRead('front', read)).toBe('front');
    expect(entityAsRead('redis-0', read)).toBe('redis-0');
  });
});

describe('names that differ only in case', () => {
  const spelt: CaseData = {
    ...base,
    series: [
      { key: 'cartservice|cpu', entity: 'cartservice', metric: 'cpu', values: Float64Array.from([1, 2]) },
      { key: 'frontend|cpu', entity: 'frontend', metric: 'cpu', values: Float64Array.from([1, 2]) },
    ],
    topology: [{ source: 'Frontend', target: 'CartService' }],
    spans: [{ ...base.spans[0], entity: 'CartService' }],
    logs: [{ ...base.logs[0], entity: 'CARTSERVICE' }],
    incident: { start: 2, entry: 'FrontEnd' },
  };

  it('are one entity, spelt as the alarm, then the metrics, first spell it', () => {
    const { data, renamed } = unifyEntityNames(spelt);
    expect(renamed.map((r) => `${r.from}>${r.to}`)).toEqual([
      'CARTSERVICE>cartservice',
      'CartService>cartservice',
      'Frontend>FrontEnd',
      'frontend>FrontEnd',
    ]);
    expect(data.series.map((s) => s.key)).toEqual(['cartservice|cpu', 'FrontEnd|cpu']);
    expect(data.topology).toEqual([{ source: 'FrontEnd', target: 'cartservice' }]);
    expect(data.spans[0].entity).toBe('cartservice');
    expect(data.logs[0].entity).toBe('cartservice');
    expect(data.incident.entry).toBe('FrontEnd');
  });

  it('stay apart when both spellings have a series of one metric', () => {
    const twice: CaseData = {
      ...spelt,
      series: [
        ...spelt.series,
        { key: 'CartService|cpu', entity: 'CartService', metric: 'cpu', values: new Float64Array(2) },
      ],
    };
    const { data } = unifyEntityNames(twice);
    expect(data.series.map((s) => s.entity)).toEqual(['cartservice', 'FrontEnd', 'CartService']);
    expect(data.logs[0].entity).toBe('cartservice');
  });

  it('combine with a pod name: a differently spelt pod is read as its service', () => {
    const { data } = unifyEntityNames({
      ...spelt,
      spans: [{ ...base.spans[0], entity: 'CartService-5f7c9d8b6-zx9kp' }],
    });
    expect(data.spans[0].entity).toBe('cartservice');
  });
});
