import { describe, expect, it } from 'vitest';
import { isIdentifierSegment, operationTemplate } from '../../src/model/operation-template.js';

describe('operationTemplate', () => {
  it.each([
    ['GET /product/OLJCESPC7Z', 'GET /product/{id}'],
    ['/api/v1/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6', '/api/v1/orders/{id}'],
    ['GET /users/12345/cart', 'GET /users/{id}/cart'],
    ['GET:/api/v1/orderservice/order/5ad7750b-a68b-49c0-a8c0-32776b067703', 'GET:/api/v1/orderservice/order/{id}'],
    ['{GET}/api/v1/travelservice/trips/{tripId}', '{GET}/api/v1/travelservice/trips/{tripId}'],
    ['GET /search?q=socks&page=2', 'GET /search'],
    ['http://10.0.3.7:8080/items/deadbeef42?x=1#top', 'http://10.0.3.7:8080/items/{id}'],
    ['POST /mail/jane.doe@example.com', 'POST /mail/{id}'],
    ['GET /blobs/9f86d081884c7d65', 'GET /blobs/{id}'],
    ['GET /api/v1/trainservice/trains/G1234', 'GET /api/v1/trainservice/trains/{id}'],
    ['POST /v1/users/123:undelete', 'POST /v1/users/{id}:undelete'],
    ['GET /cart;jsessionid=ABCDEF123', 'GET /cart'],
    ['GET /users/123,456/profile', 'GET /users/{id}/profile'],
    ['GET /metrics/2024-01-01T10:00:00Z', 'GET /metrics/{id}'],
    ['GET /search/New%20York', 'GET /search/{id}'],
    ['GET /watch/dQw4w9WgXcQ', 'GET /watch/{id}'],
    ['GET /sessions/a7f3kq9z', 'GET /sessions/{id}'],
  ])('reads %s as the route %s', (name, route) => {
    expect(operationTemplate(name)).toBe(route);
  });

  it.each([
    'hipstershop.CartService/GetCart',
    '/hipstershop.v1.CartService/GetCart',
    'GET /api/v2beta1/oauth2/token',
    'GET /static/app.2024.js',
    'GET /cart',
    'SELECT * FROM orders WHERE id = ?',
    'HGETALL',
    'GET /product/{id}',
    'GET /checkout/shipping-address',
    'GET /api/orders-v2/list',
    'GET /oauth2callback',
    'GET /downloads/x86_64/base64url',
    'GET /k8s-clusters/ipv6-config',
    'POST /2fa-verify',
    'GET /h264-stream/web3wallet',
    'GET /OAuth2Callback',
    'POST /v1/tenants/acme:activate',
    'GET /@types/node',
  ])('keeps %s as written (no identifier in it)', (name) => {
    expect(operationTemplate(name)).toBe(name);
  });

  it('is idempotent: a route reads as itself', () => {
    for (const name of ['GET /users/12345/cart', 'GET /search?q=1', 'http://h/items/deadbeef42'])
      expect(operationTemplate(operationTemplate(name))).toBe(operationTemplate(name));
  });

  it('tells keys from words: digits, UUIDs, hex and long keys with a digit are values; versions and names are not', () => {
    expect(['42', 'OLJCESPC7Z', 'order-20240101', 'a1b2c3d4'].map(isIdentifierSegment)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(
      ['v1', '1.2.3', 'oauth2', 'sha256', 'checkout', 'shanghai', 'app.2024.js', ''].map(isIdentifierSegment),
    ).toEqual([false, false, false, false, false, false, false, false]);
  });
});
