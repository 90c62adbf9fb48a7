import { describe, expect, it } from 'vitest';
import {
  graphPageUrl,
  incidentPageUrl,
  signPath,
  verifySignedPath,
  withSignature,
} from '../../src/model/incident-page-url.js';

const secret = 'a-secret-of-at-least-16-chars';

describe('signed links to the incident page', () => {
  it("verifies a link it signed until it expires, and covers the page's own feedback action", () => {
    const url = withSignature('/incidents/7', { secret, expiresAtS: 1_000 });
    expect(verifySignedPath(url, secret, 999)).toBe(true);
    expect(verifySignedPath(url, secret, 1_000)).toBe(true);
    expect(verifySignedPath(url, secret, 1_001)).toBe(false);
    expect(verifySignedPath(url.replace('/incidents/7?', '/incidents/7/feedback?'), secret, 999)).toBe(true);
  });

  it('refuses another path, another expiry, another secret or a missing signature', () => {
    const url = withSignature('/incidents/7', { secret, expiresAtS: 1_000 });
    expect(verifySignedPath(url.replace('/incidents/7?', '/incidents/8?'), secret, 0)).toBe(false);
    expect(verifySignedPath(url.replace('exp=1000', 'exp=2000'), secret, 0)).toBe(false);
    expect(verifySignedPath(url, 'another-secret-of-16-chars', 0)).toBe(false);
    expect(verifySignedPath('/incidents/7', secret, 0)).toBe(false);
    expect(verifySignedPath('/incidents/7?exp=1000&sig=zz', secret, 0)).toBe(false);
  });

  it('signs the query too, in any order, without exp and sig', () => {
    const s = { secret, expiresAtS: 50 };
    expect(signPath('/graph?around=a&hops=2', s)).toBe(signPath('/graph?hops=2&around=a', s));
    expect(signPath('/graph?around=a&hops=2', s)).not.toBe(signPath('/graph?around=b&hops=2', s));
    const url = withSignature('/graph?around=Service%3Adefault%2Fx&hops=2', s);
    expect(verifySignedPath(url, secret, 10)).toBe(true);
    expect(verifySignedPath(url.replace('hops=2', 'hops=3'), secret, 10)).toBe(false);
  });

  it('builds the page URL from ROOTGRAPH_PUBLIC_URL, or none without it', () => {
    expect(incidentPageUrl(undefined, 3)).toBeUndefined();
    expect(incidentPageUrl('https://rg.example.com/', 3)).toBe('https://rg.example.com/incidents/3');
    const signed = incidentPageUrl('https://rg.example.com', 3, { secret, expiresAtS: 99 }) ?? '';
    expect(signed.startsWith('https://rg.example.com/incidents/3?exp=99&sig=')).toBe(true);
    expect(verifySignedPath(signed.slice('https://rg.example.com'.length), secret, 98)).toBe(true);
  });

  it('builds the neighbourhood page URL for an entity, signed over its query', () => {
    expect(graphPageUrl(undefined, 'cart')).toBeUndefined();
    expect(graphPageUrl('https://rg.example.com', 'Service:default/shop/cart')).toBe(
      'https://rg.example.com/graph?around=Service%3Adefault%2Fshop%2Fcart&hops=2',
    );
    const signed =
      graphPageUrl('https://rg.example.com', 'cart', { hops: 1, signing: { secret, expiresAtS: 99 } }) ?? '';
    expect(verifySignedPath(signed.slice('https://rg.example.com'.length), secret, 98)).toBe(true);
  });
});
