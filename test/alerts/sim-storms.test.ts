import { describe, expect, it } from 'vitest';
import { SCENARIOS, runScenario, summarise } from '../../app/cli/commands/eval-alerts.js';

// Scenario tests on the simulator's storms (src/sim) delivered through its Alertmanager model: the
// data is shaped by the simulator's alert rules and ground truth, not by the compressor under test.
describe('alert compression on simulated storms', () => {
  const concurrent = SCENARIOS.filter((s) => s.name.startsWith('two concurrent'));

  it.each(concurrent.map((s) => [s.name, s] as const))(
    '%s: two unrelated faults come out as two incidents',
    (_name, s) => {
      const r = runScenario(s);
      expect(r.separated).toBe(true);
      expect(r.purity).toBeGreaterThanOrEqual(0.95);
      expect(r.incidents).toBe(2);
    },
  );

  it('every storm: grouping purity ≥ 0.95, no fault left only in watch items, only lone warnings kept as watch items', () => {
    const results = SCENARIOS.map((s) => runScenario(s));
    for (const r of results) {
      expect(r.purity, r.name).toBeGreaterThanOrEqual(0.95);
      expect(r.hiddenFaults, r.name).toBe(0);
      expect(r.incidents + r.watchItems, r.name).toBeGreaterThanOrEqual(r.oracleItems);
    }
    const { summary } = summarise(results);
    expect(summary.compression).toBeGreaterThanOrEqual(0.95);
  });

  it('a fan-in fault storm (tens of episodes) becomes one fault incident, every episode accounted for', () => {
    const r = runScenario(SCENARIOS.find((s) => s.name.includes('pod crash, fan-in'))!);
    expect(r.faults).toBe(1);
    expect(r.episodes).toBeGreaterThanOrEqual(20);
    expect(r.notifications).toBeGreaterThanOrEqual(r.episodes);
    expect(r.incidents - r.noiseIncidents).toBe(1);
    expect(r.purity).toBe(1);
  });

  it('a chronic flapper on a caller keeps its background episodes out of the fault incident (boutique pod crash)', () => {
    const r = runScenario(SCENARIOS[0]);
    // One flapper episode in 66 starts in step with the crash loop and stays with the fault (its alert is a fault member).
    expect(r.purity).toBeGreaterThanOrEqual(0.98);
    expect(r.incidents).toBe(1);
    expect(r.noiseIncidents).toBe(0);
  });
});
