import { describe, expect, it } from 'vitest';
import { buildBehaviourGraph } from '../../src/rca/behaviour-graph.js';
import { rankTraversal } from '../../src/rca/traversal.js';

// fe → a → c, fe → b. Node order fe, a, b, c.
const g = buildBehaviourGraph({
  entities: ['fe', 'a', 'b', 'c'],
  topology: [
    { source: 'fe', target: 'a' },
    { source: 'fe', target: 'b' },
    { source: 'a', target: 'c' },
  ],
});
const run = (anomaly: number[], calm?: number[]) =>
  rankTraversal(
    {
      n: 4,
      out: g.out,
      in: g.in,
      entry: 0,
      anomaly: Float64Array.from(anomaly),
      ...(calm && { calm: Uint8Array.from(calm) }),
    },
    { threshold: 3 },
  );

describe('call-graph traversal', () => {
  it('picks the deepest anomalous node on an anomalous path, even when a symptom moved more', () => {
    // a (a symptom) moved more than c (the cause); c has no anomalous callee, a has one.
    const r = run([5, 40, 0, 10]);
    expect(Array.from(r.roots)).toEqual([0, 0, 0, 1]);
    const best = Array.from(r.score).indexOf(Math.max(...r.score));
    expect(best).toBe(3);
    expect(r.score[1]).toBeLessThanOrEqual(0.5); // on the path, not a root
    expect(r.score[3]).toBeGreaterThan(r.score[1]);
  });

  it('keeps a caller a root when its anomalous callee is calm (its callers felt nothing of it)', () => {
    // c's memory moved (40) but its SLIs stayed normal; a's errors (30) are a's own.
    const uncalm = run([5, 30, 0, 40]);
    expect(uncalm.roots[1]).toBe(0);
    const r = run([5, 30, 0, 40], [0, 0, 0, 1]);
    expect(r.roots[1]).toBe(1);
    expect(r.roots[3]).toBe(1); // still a root of its own path
    expect(r.score[1]).toBeGreaterThan(0.5);
  });

  it('does not follow a path through a quiet node', () => {
    // c is anomalous but a (between fe and c) is not: c is unreachable, b is the root.
    const r = run([5, 0, 4, 50]);
    expect(r.roots[2]).toBe(1);
    expect(r.roots[3]).toBe(0);
    expect(r.score[2]).toBeGreaterThan(r.score[3]);
  });

  it('names no root when nothing near the entry is anomalous', () => {
    const r = run([1, 1, 2, 0]);
    expect(Array.from(r.roots)).toEqual([0, 0, 0, 0]);
    expect(Math.max(...r.score)).toBeLessThanOrEqual(0.25);
  });
});
