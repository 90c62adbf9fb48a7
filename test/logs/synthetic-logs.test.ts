// Generality check: systems the miner was not tuned on (src/logs/synthetic-logs.ts), with known
// events and variables of many shapes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TemplateMiner } from '../../src/logs/drain.js';
import { groupingAccuracy } from '../../src/logs/grouping-accuracy.js';
import { generateSyntheticLogs, SYNTHETIC_SYSTEMS } from '../../src/logs/synthetic-logs.js';

function mine(lines: readonly string[]) {
  const miner = new TemplateMiner();
  const ids = lines.map((l) => miner.add(l).cluster.id).map((id) => miner.resolve(id));
  return { miner, ids };
}

/**
 * Known limit: a field holding only two values, of different word counts and never seen as a
 * variable elsewhere ("initialized by client WindowsUpdateAgent." / "… DISM Package Manager
 * Provider."), stays two events; that costs `servicing` about a fifth of its lines.
 */
const FLOOR: Record<string, number> = { servicing: 0.75 };

describe('miner on synthetic systems it was not tuned on', () => {
  it.each(Object.keys(SYNTHETIC_SYSTEMS))('%s: GA at least 0.95 on each of three seeds', (system) => {
    for (const seed of [11, 12, 13]) {
      const lines = generateSyntheticLogs(system, { seed, lines: 2000 });
      const { ids } = mine(lines.map((l) => l.message));
      const ga = groupingAccuracy(
        lines.map((l) => l.event),
        ids,
      ).accuracy;
      expect(ga, `${system} seed ${seed}`).toBeGreaterThanOrEqual(FLOOR[system] ?? 0.95);
    }
  });

  it('generates the same lines for the same seed', () => {
    expect(generateSyntheticLogs('sshd', { seed: 5, lines: 50 })).toEqual(
      generateSyntheticLogs('sshd', { seed: 5, lines: 50 }),
    );
  });
});

describe('merge step (property)', () => {
  const word = fc.constantFrom(
    'open',
    'close',
    'read',
    'disk',
    'user',
    'root',
    'alice',
    'x.y',
    'blk_1',
    'SOCKS5',
    '()',
  );
  const value = fc.oneof(fc.nat(999).map(String), fc.constantFrom('1.2.3.4:80', 'a_b_1', 'ID=7', ''));
  const msg = fc.array(fc.oneof(word, value), { minLength: 1, maxLength: 7 }).map((p) => p.join(' '));

  it('no two clusters ever read the same, and every line resolves to a live cluster', () => {
    fc.assert(
      fc.property(fc.array(msg, { maxLength: 80 }), (lines) => {
        const { miner, ids } = mine(lines);
        const clusters = miner.clusters();
        const texts = clusters.map((c) => c.template);
        expect(new Set(texts).size).toBe(texts.length);
        const live = new Set(clusters.map((c) => c.id));
        for (const id of ids) expect(live).toContain(id);
        expect(clusters.reduce((s, c) => s + c.size, 0)).toBe(lines.length);
      }),
    );
  });
});
