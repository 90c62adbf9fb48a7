import { describe, expect, it } from 'vitest';
import { addIsolatedNodes, buildBehaviourGraph, reachable } from '../../src/rca/behaviour-graph.js';

describe('behaviour graph', () => {
  it('isolated nodes are appended without edges, and the existing edges stay as they were', () => {
    const g = buildBehaviourGraph({
      entities: ['fe', 'a'],
      topology: [
        { source: 'fe', target: 'a' },
        { source: 'a', target: 'b' },
      ],
    });
    addIsolatedNodes(g, ['logs-only', 'a', 'other', 'logs-only']);
    expect(g.nodes).toEqual(['fe', 'a', 'b', 'logs-only', 'other']);
    expect(g.index.get('other')).toBe(4);
    expect(g.out.offsets.length).toBe(6);
    expect(g.in.offsets.length).toBe(6);
    const names = (ids: number[]) => ids.map((i) => g.nodes[i]);
    expect(names(reachable(g.out, 0))).toEqual(['a', 'b']);
    expect(names(reachable(g.in, 2))).toEqual(['a', 'fe']);
    for (const e of ['logs-only', 'other']) {
      const j = g.index.get(e) as number;
      expect(reachable(g.out, j)).toEqual([]);
      expect(reachable(g.in, j)).toEqual([]);
    }
  });
});
