import { describe, expect, it } from 'vitest';
import { evidenceParts, whyLine } from '../../src/assistant/why-line.js';
import type { Explanation } from '../../src/rca/explain.js';

const explanation = (o: Partial<Explanation> = {}): Explanation => ({
  components: { stats: 0, walk: 0, traversal: 0, traces: 0, logs: 0, changes: 0 },
  metrics: [],
  logTemplates: [],
  trace: null,
  traceShift: null,
  changes: [],
  path: null,
  graph: 'traces',
  notes: [],
  ...o,
});

describe('why a suspect ranks where it does', () => {
  it("names MicroRank's operation only for the candidate MicroRank puts first", () => {
    const lead = explanation({
      components: { stats: 0, walk: 0, traversal: 0, traces: 1, logs: 0, changes: 0 },
      trace: { operation: 'Charge', score: 0.45 },
    });
    const bystander = explanation({
      components: { stats: 0, walk: 0, traversal: 0, traces: 0.52, logs: 0, changes: 0 },
      trace: { operation: 'GET /', score: 0.45 },
      path: ['gw'],
    });
    expect(evidenceParts(lead)).toEqual(['trace: Charge']);
    expect(evidenceParts(bystander)).toEqual([]);
    expect(whyLine(bystander)).toBe('ranked by topology only (nothing of its own moved)');
  });

  it('says a suspect seen only in its logs is seen there, with who reported it', () => {
    const e = explanation({
      logTemplates: [{ template: 'connection refused <*>', windowCount: 60, expected: 0.5, z: 84, reportedBy: 'api' }],
      path: ['db', 'api'],
    });
    expect(whyLine(e)).toBe('log: connection refused <*> (reported by api); path db → api');
  });
});
