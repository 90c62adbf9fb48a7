import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DRAIN_PUBLISHED_GA, scoreLoghub } from '../../src/logs/eval-loghub.js';
import { parseLoghubStructured } from '../../src/logs/loghub.js';

const DATA = '../shared/data/loghub';

describe.skipIf(!existsSync(DATA))('miner on Loghub (one setting for all datasets)', () => {
  it.each(Object.entries(DRAIN_PUBLISHED_GA))("%s: GA at least Drain's published %d", (name, drain) => {
    const truth = parseLoghubStructured(readFileSync(`${DATA}/${name}/${name}_2k.log_structured.csv`, 'utf8'), name);
    expect(scoreLoghub(name, truth).accuracy).toBeGreaterThanOrEqual(drain);
  });
});
