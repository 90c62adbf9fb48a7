import { describe, expect, it } from 'vitest';
import { serviceTitle } from '../../src/logs/service-ref.js';

describe('serviceTitle', () => {
  it('is the bare name in the default namespace and cluster, namespace/name elsewhere, the cluster after it', () => {
    expect(serviceTitle({ service: 'cart' })).toBe('cart');
    expect(serviceTitle({ service: 'cart', namespace: 'default', cluster: 'default' })).toBe('cart');
    expect(serviceTitle({ service: 'cart', namespace: 'shop' })).toBe('shop/cart');
    expect(serviceTitle({ service: 'cart', cluster: 'eu1' })).toBe('cart in eu1');
    expect(serviceTitle({ service: 'cart', namespace: 'shop', cluster: 'eu1' })).toBe('shop/cart in eu1');
  });
});
