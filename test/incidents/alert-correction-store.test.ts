import { describe, expect, it } from 'vitest';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { loadAlertCorrections, saveAlertCorrection } from '../../src/incidents/alert-correction-store.js';
import type { Correction } from '../../src/alerts/learn-from-corrections.js';

const correction = (at: number): Correction => ({
  kind: 'split',
  at,
  incidents: ['inc-1', 'inc-2'],
  fingerprints: ['fp-b'],
  examples: [
    {
      names: ['HighErrorRate', 'CertificateExpiringSoon'],
      features: { time: 0.9, topology: 1, text: 0.2 },
      together: false,
    },
  ],
});

describe('alert correction store', () => {
  it('keeps corrections once each and returns them oldest first', async () => {
    const graph = new MemoryGraphStore();
    await saveAlertCorrection(graph, correction(20));
    await saveAlertCorrection(graph, correction(10));
    await saveAlertCorrection(graph, correction(20));
    expect(await loadAlertCorrections(graph)).toEqual([correction(10), correction(20)]);
  });

  it('a malformed stored correction is an error naming its node', async () => {
    const graph = new MemoryGraphStore();
    await graph.upsert({
      observedAt: 1,
      nodes: [{ label: 'AlertCorrection', uid: 'AlertCorrection:x', props: { json: '{"kind":"merge"}' } }],
      edges: [],
    });
    await expect(loadAlertCorrections(graph)).rejects.toThrow(/AlertCorrection:x › json/);
  });
});
