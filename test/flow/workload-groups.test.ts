import { describe, expect, it } from 'vitest';
import { workloadGroups } from '../../src/flow/workload-groups.js';

describe('workload groups from SELECTS edges', () => {
  it('a Service, its Deployment and pods are one workload, named by the Service', () => {
    const g = workloadGroups([
      { from: 'Service:cart', to: 'Deployment:cart' },
      { from: 'Service:cart', to: 'Pod:cart-1' },
      { from: 'Service:front', to: 'Pod:front-1' },
    ]);
    expect(Object.fromEntries(g)).toEqual({
      'Deployment:cart': 'Service:cart',
      'Pod:cart-1': 'Service:cart',
      'Pod:front-1': 'Service:front',
    });
  });

  it('two Services selecting the same pods are one workload too, whichever edge comes first', () => {
    const edges = [
      { from: 'Service:cart-headless', to: 'Pod:cart-1' },
      { from: 'Service:cart', to: 'Pod:cart-1' },
      { from: 'Service:cart-headless', to: 'Pod:cart-2' },
      { from: 'Service:cart', to: 'Pod:cart-2' },
    ];
    for (const order of [edges, [...edges].reverse()]) {
      expect(Object.fromEntries(workloadGroups(order))).toEqual({
        'Service:cart-headless': 'Service:cart',
        'Pod:cart-1': 'Service:cart',
        'Pod:cart-2': 'Service:cart',
      });
    }
  });

  it('a broad Service over several workloads joins none of them: each pod keeps its narrowest Service', () => {
    const g = workloadGroups([
      { from: 'Service:shop', to: 'Pod:cart-1' },
      { from: 'Service:shop', to: 'Pod:front-1' },
      { from: 'Service:cart', to: 'Pod:cart-1' },
      { from: 'Service:front', to: 'Pod:front-1' },
    ]);
    expect(Object.fromEntries(g)).toEqual({ 'Pod:cart-1': 'Service:cart', 'Pod:front-1': 'Service:front' });
  });
});
