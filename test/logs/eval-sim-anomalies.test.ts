// The simulator's labelled logs that choose the log checks' stream settings (BGL is held out):
// labels only inside a fault's interval, sampled runs keep every n-th line, and the defaults of
// LogCheckStream score on them as the choice table says (no flags on fault-free runs).
import { describe, expect, it } from 'vitest';
import { checkRows, SIM_LOGS, simLabelledRuns } from '../../src/logs/eval-sim-anomalies.js';
import { scoreFlags } from '../../src/logs/eval-anomalies.js';

describe('simulator runs with labelled faults', () => {
  // One seed keeps the test cheap; the choice itself runs every seed of SIM_LOGS.
  const runs = simLabelledRuns({ seeds: SIM_LOGS.seeds.slice(0, 1), logsPerRequest: 0.002 });
  const faultFrom = SIM_LOGS.start / 1000 + SIM_LOGS.faultAtH * 3600;
  const faultTo = faultFrom + SIM_LOGS.faultMin * 60 + SIM_LOGS.lagS;

  it('label lines only while a fault is active, and none in fault-free runs', () => {
    expect(runs).toHaveLength(18);
    for (const r of runs) {
      const labelled = r.rows.filter((_, i) => r.truth[i]);
      if (r.name.startsWith('no fault')) expect(labelled).toEqual([]);
      else expect(labelled.length).toBeGreaterThan(0);
      for (const row of labelled) {
        expect(row.timestamp).toBeGreaterThanOrEqual(faultFrom);
        expect(row.timestamp).toBeLessThan(faultTo);
      }
    }
  });

  it('sample every n-th line of the full run', () => {
    const full = runs.find((r) => r.name === `pod-crash on checkoutservice (seed ${SIM_LOGS.seeds[0]})`);
    const sampled = runs.find((r) => r.name.startsWith(`${full?.name}, 1 line in`));
    expect(sampled?.rows).toEqual(full?.rows.filter((_, i) => i % SIM_LOGS.sampleEvery === 0));
  });

  it('the default stream flags nothing on fault-free runs and finds error-return', () => {
    for (const r of runs.filter((x) => x.name.startsWith('no fault')))
      expect(checkRows(r.rows, {})).not.toContain(true);
    const r = runs.find((x) => x.name.startsWith('error-return') && !x.name.includes('1 line in')) ?? runs[0];
    expect(scoreFlags(r.truth, checkRows(r.rows, {})).f1).toBeGreaterThan(0.9);
  });
});
