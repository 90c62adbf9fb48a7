import { describe, expect, it } from 'vitest';
import { type TopologyEdge, createBallFinder } from '../../src/alerts/causal-distance.js';

//   fe → cart → redis ;  fe → pay ;  pay-pod runs on m1, cart-pod runs on m1
const edges: TopologyEdge[] = [
  { type: 'CALLS', from: 'fe', to: 'cart' },
  { type: 'CALLS', from: 'cart', to: 'redis' },
  { type: 'CALLS', from: 'fe', to: 'pay' },
  { type: 'SELECTS', from: 'cart', to: 'cart-pod' },
  { type: 'SELECTS', from: 'pay', to: 'pay-pod' },
  { type: 'RUNS_ON', from: 'cart-pod', to: 'm1' },
  { type: 'RUNS_ON', from: 'pay-pod', to: 'm1' },
  { type: 'IN_NAMESPACE', from: 'cart', to: 'ns' },
];

describe('createBallFinder', () => {
  const f = createBallFinder(edges, { maxHops: 3 });
  it('relates callers and callees in both directions, with hop counts', () => {
    expect(f.ball('redis').get('fe')).toBe(2);
    expect(f.ball('fe').get('redis')).toBe(2);
    expect(f.ball('cart-pod').get('fe')).toBe(2);
    expect(f.ball('fe').get('cart-pod')).toBe(2);
  });
  it('does not relate siblings through their common caller', () => {
    expect(f.ball('cart').has('pay')).toBe(false);
    expect(f.ball('pay').has('cart')).toBe(false);
  });
  it('relates pods through a shared machine only when common dependencies are allowed; ignores other edge types', () => {
    expect(f.ball('cart-pod').has('pay-pod')).toBe(false);
    expect(f.ball('m1').get('pay-pod')).toBe(1);
    expect(createBallFinder(edges, { commonDependency: true }).ball('cart-pod').get('pay-pod')).toBe(2);
    expect(f.ball('cart').has('ns')).toBe(false);
    expect(f.has('ns')).toBe(false);
  });
  it('stops at maxHops and is symmetric', () => {
    const near = createBallFinder(edges, { maxHops: 1 });
    expect(near.ball('redis').has('fe')).toBe(false);
    const nodes = ['fe', 'cart', 'redis', 'pay', 'cart-pod', 'pay-pod', 'm1'];
    const g = createBallFinder(edges, { commonDependency: true });
    for (const a of nodes)
      for (const b of nodes) {
        expect(f.ball(a).get(b)).toBe(f.ball(b).get(a));
        expect(g.ball(a).get(b)).toBe(g.ball(b).get(a));
      }
  });
});

describe('downBall', () => {
  it('holds only what an entity depends on', () => {
    const f = createBallFinder(edges, { maxHops: 3 });
    expect([...f.downBall('fe').keys()].sort()).toEqual(['cart', 'cart-pod', 'fe', 'm1', 'pay', 'pay-pod', 'redis']);
    expect(f.downBall('redis').has('fe')).toBe(false);
  });
  it('has no bound in dependencies, which keeps the hop counts', () => {
    const near = createBallFinder(edges, { maxHops: 1 });
    expect(near.downBall('fe').has('redis')).toBe(false);
    expect(near.dependencies('fe').get('redis')).toBe(2);
    expect(near.dependencies('redis').has('cart')).toBe(false);
  });
});
