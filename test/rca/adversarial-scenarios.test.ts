import { describe, expect, it } from 'vitest';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { scenarios } from './scenarios/catalogue.js';

/**
 * A review's synthetic scenarios (session 24): faults whose own SLIs stay calm (CPU hogs, wrong and
 * early returns, handled exceptions, a pod's fault under its Service), alarms without a named entry,
 * troubled siblings and unrelated subgraphs beside the cause. These are the ones the ranking gets right
 * on every seed; a rule that raises a troubled bystander over a calm cause (session 23's felt-first)
 * fails them. The others are known limits, listed in BENCHMARKS.md.
 */
const FIRST_ON_EVERY_SEED = [
  '04',
  '05',
  '06',
  '16 ',
  '17',
  '21 ',
  '22 ',
  '24',
  '25',
  '26',
  '27 ',
  '28',
  '29',
  '30 ',
  '31',
  '16b',
  '16c',
  '22b',
  '27b',
  '30b',
];
const SEEDS = [1, 2, 3, 4, 5];

describe('the true cause ranks first in the review’s scenarios', () => {
  const chosen = scenarios.filter((s) => FIRST_ON_EVERY_SEED.some((id) => s.name.startsWith(id)));

  it('finds every scenario listed', () => expect(chosen).toHaveLength(FIRST_ON_EVERY_SEED.length));

  it.each(chosen.map((s) => [s.name, s] as const))('%s', (_, s) => {
    const firsts = SEEDS.map(
      (seed) => rankRootCauses(analyseCase(s.make(seed)), defaultWeights(), { rng: seededRng(1) })[0].entity,
    );
    expect(firsts).toEqual(SEEDS.map(() => s.truth));
  });
});
