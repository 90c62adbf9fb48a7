import { describe, expect, it } from 'vitest';
import { peerStandIns } from '../../src/model/peer-stand-ins.js';
import type { SpanRecord } from '../../src/model/span-record.js';

const span = (id: string, parent: string | null, service: string, extra: Partial<SpanRecord> = {}): SpanRecord => ({
  traceId: 't1',
  spanId: id,
  parentSpanId: parent,
  service,
  namespace: 'shop',
  pod: `${service}-0`,
  machine: 'node-1',
  operation: 'op',
  startNs: 1e9,
  durationNs: 5e6,
  error: false,
  ...extra,
});

describe('stand-in spans for callees that write none', () => {
  it('a childless client span naming a peer gets one child span of the peer, with its time and status', () => {
    const out = peerStandIns([
      span('a', null, 'cart'),
      span('b', 'a', 'cart', { operation: 'HGETALL', peer: 'redis-cart', error: true, durationNs: 9e6 }),
      span('c', 'a', 'cart', { operation: 'SELECT', peer: 'db/orders' }),
    ]);
    expect(out).toEqual([
      {
        traceId: 't1',
        spanId: 'b:peer',
        parentSpanId: 'b',
        service: 'redis-cart',
        namespace: 'shop',
        pod: null,
        machine: null,
        operation: 'HGETALL',
        startNs: 1e9,
        durationNs: 9e6,
        error: true,
      },
      expect.objectContaining({ spanId: 'c:peer', service: 'orders', namespace: 'db', operation: 'SELECT' }),
    ]);
  });

  it('none where the peer wrote its own span under the call (it is instrumented after all)', () => {
    expect(
      peerStandIns([
        span('b', 'a', 'cart', { peer: 'redis-cart' }),
        span('r', 'b', 'redis-cart'),
        span('x', null, 'front'),
      ]),
    ).toEqual([]);
  });

  it('a peer that is not <namespace>/<service> is a service of that name in the caller’s namespace', () => {
    const out = peerStandIns([span('b', 'a', 'cart', { peer: 'https://api.example.com/v1' })]);
    expect(out[0]).toMatchObject({ service: 'https://api.example.com/v1', namespace: 'shop' });
  });

  it('a span id in another trace is another span', () => {
    const other = span('r', 'b', 'redis-cart', { traceId: 't2' });
    expect(peerStandIns([span('b', 'a', 'cart', { peer: 'redis-cart' }), other])).toHaveLength(1);
  });
});
