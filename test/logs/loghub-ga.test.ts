// The miner on the eight Loghub samples in ../shared (skipped with a message when they are absent):
// one setting for all, GA per dataset, and the properties the merge step promises.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TemplateMiner } from '../../src/logs/drain.js';
import { DRAIN_PUBLISHED_GA, scoreLoghub } from '../../src/logs/eval-loghub.js';
import { parseLoghubStructured } from '../../src/logs/loghub.js';

const DATA = '../shared/data/loghub';
const DATASETS = Object.keys(DRAIN_PUBLISHED_GA);
const present = existsSync(DATA);
if (!present) console.warn(`loghub-ga: ${DATA} not found; the Loghub tests are skipped`);

const truthOf = (name: string) =>
  parseLoghubStructured(readFileSync(`${DATA}/${name}/${name}_2k.log_structured.csv`, 'utf8'), name);

describe.skipIf(!present)('miner on Loghub (one setting for all datasets)', () => {
  it.each(DATASETS)('%s: GA at least 0.97', (name) => {
    expect(scoreLoghub(name, truthOf(name)).accuracy).toBeGreaterThanOrEqual(0.97);
  });

  it.each(DATASETS)('%s: no two clusters read the same, and no catch-all holds two events', (name) => {
    const truth = truthOf(name);
    const miner = new TemplateMiner();
    const ids = truth.contents.map((c) => miner.add(c).cluster.id).map((id) => miner.resolve(id));
    const clusters = miner.clusters();
    const texts = clusters.map((c) => c.template);
    expect(texts.length - new Set(texts).size, 'clusters sharing a template text').toBe(0);
    // A catch-all: a template without a single letter (only variables and punctuation).
    const events = new Map<string, Set<string>>();
    ids.forEach((id, i) => events.set(id, (events.get(id) ?? new Set()).add(truth.eventIds[i])));
    for (const c of clusters.filter((x) => !/[A-Za-z]/.test(x.template))) {
      expect(events.get(c.id)?.size ?? 0, `catch-all ${c.template}`).toBeLessThanOrEqual(1);
    }
  });
});
