import { describe, expect, it } from 'vitest';
import { spanKind, spanPeer, type PeerKey } from '../../../src/ingest/otel/span-peer.js';

const CLIENT = 3,
  SERVER = 2,
  PRODUCER = 4;
const peerOf = (kind: number, attrs: Partial<Record<PeerKey, string>>) => spanPeer(kind, (k) => attrs[k]);

describe('the peer a client span names (callees that write no spans of their own)', () => {
  it('peer.service first, as the caller named it (a cluster DNS name read as its Service)', () => {
    expect(peerOf(CLIENT, { 'peer.service': 'payments-db', 'db.system': 'redis', 'server.address': 'x' })).toBe(
      'payments-db',
    );
    expect(peerOf(CLIENT, { 'peer.service': 'Redis-Cart.shop.svc.cluster.local', 'db.system': 'redis' })).toBe(
      'shop/redis-cart',
    );
  });

  it('a database or broker client: the server it talks to, a Kubernetes Service by its namespace and name', () => {
    expect(peerOf(CLIENT, { 'db.system': 'redis', 'server.address': 'redis-cart.shop.svc.cluster.local' })).toBe(
      'shop/redis-cart',
    );
    expect(peerOf(CLIENT, { 'db.system': 'postgresql', 'server.address': 'orders-db.prod.svc' })).toBe(
      'prod/orders-db',
    );
    expect(peerOf(CLIENT, { 'db.system': 'postgresql', 'net.peer.name': 'Orders-DB.prod.svc.' })).toBe(
      'prod/orders-db',
    );
    expect(peerOf(PRODUCER, { 'messaging.system': 'kafka', 'server.address': 'kafka.data.svc.cluster.local' })).toBe(
      'data/kafka',
    );
    // A StatefulSet pod's name is its Service's; a port is not part of the name.
    expect(peerOf(CLIENT, { 'db.system': 'postgresql', 'server.address': 'pg-0.pg.data.svc.cluster.local' })).toBe(
      'data/pg',
    );
    expect(peerOf(CLIENT, { 'db.system': 'redis', 'server.address': 'redis-cart.shop.svc:6379' })).toBe(
      'shop/redis-cart',
    );
    expect(peerOf(CLIENT, { 'db.system': 'redis', 'server.address': '[::1]:6379' })).toBe('[::1]:6379');
    // Any other host is the caller's namespace's to resolve (a bare Service name) or stays what it is.
    expect(peerOf(CLIENT, { 'db.system': 'redis', 'server.address': 'redis-cart' })).toBe('redis-cart');
    expect(peerOf(CLIENT, { 'db.system': 'mysql', 'server.address': 'db.example.com' })).toBe('db.example.com');
    // No address: the system itself.
    expect(peerOf(CLIENT, { 'db.system': 'redis' })).toBe('redis');
  });

  it('none for server and internal spans, for plain HTTP or gRPC calls (their callee writes its own spans), or a name no entity may have', () => {
    expect(peerOf(SERVER, { 'peer.service': 'x', 'db.system': 'redis' })).toBeUndefined();
    expect(peerOf(0, { 'db.system': 'redis' })).toBeUndefined();
    expect(peerOf(CLIENT, { 'server.address': 'cart.shop.svc.cluster.local' })).toBeUndefined();
    // A plain HTTP or gRPC call's callee mostly writes its own spans (perhaps after a stand-in would be drawn).
    expect(peerOf(CLIENT, { 'peer.service': 'payments-api' })).toBeUndefined();
    expect(peerOf(CLIENT, { 'peer.service': ' ', 'db.system': '' })).toBeUndefined();
    expect(peerOf(CLIENT, { 'peer.service': ' ', 'db.system': 'redis' })).toBe('redis');
    expect(peerOf(CLIENT, { 'peer.service': 'x'.repeat(300), 'db.system': 'redis' })).toBeUndefined();
  });

  it('reads OTLP JSON kinds given as numbers or enum names', () => {
    expect(spanKind(3)).toBe(3);
    expect(spanKind('SPAN_KIND_CLIENT')).toBe(3);
    expect(spanKind('SPAN_KIND_PRODUCER')).toBe(4);
    expect(spanKind('SPAN_KIND_SERVER')).toBe(0);
    expect(spanKind(undefined)).toBe(0);
    expect(spanKind({})).toBe(0);
  });
});
