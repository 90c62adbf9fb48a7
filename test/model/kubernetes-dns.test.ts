import { describe, expect, it } from 'vitest';
import { kubernetesService, peerOfService, serviceOfPeer } from '../../src/model/kubernetes-dns.js';

describe('kubernetesService', () => {
  it('reads Service DNS names in any cluster domain, with or without the root dot', () => {
    const cart = { service: 'cartservice', namespace: 'shop' };
    expect(kubernetesService('cartservice.shop.svc')).toEqual(cart);
    expect(kubernetesService('cartservice.shop.svc.cluster.local')).toEqual(cart);
    expect(kubernetesService('cartservice.shop.svc.cluster.local.')).toEqual(cart);
    expect(kubernetesService('cartservice.shop.svc.corp.example')).toEqual(cart);
  });

  it("reads a StatefulSet pod's DNS name as its governing Service", () => {
    expect(kubernetesService('pg-0.pg.data.svc.cluster.local')).toEqual({ service: 'pg', namespace: 'data' });
  });

  it('reads the short <svc>.<ns> form only when asked', () => {
    expect(kubernetesService('cartservice.shop')).toBeNull();
    expect(kubernetesService('cartservice.shop', { short: true })).toEqual({
      service: 'cartservice',
      namespace: 'shop',
    });
  });

  it('writes a Service as a peer and reads it back; other peers are no Service', () => {
    const pg = { service: 'pg', namespace: 'data' };
    expect(peerOfService(pg)).toBe('data/pg');
    expect(serviceOfPeer(peerOfService(pg))).toEqual(pg);
    for (const peer of ['redis', 'postgresql', 'db.example.com', 'a/b/c', 'Data/pg', '/pg'])
      expect(serviceOfPeer(peer), peer).toBeNull();
  });

  it('reads nothing else: host names, addresses, upper case, labels DNS does not allow', () => {
    for (const name of ['db.example.com', '10.0.0.7', 'localhost', 'Cart.shop.svc', '-cart.shop.svc', 'a.b.c.d.svc'])
      expect(kubernetesService(name), name).toBeNull();
  });
});
