import { describe, expect, it } from 'vitest';
import { SCENARIOS, runScenario } from '../../src/cli/commands/eval-alerts.js';

// Scenario tests on the simulator's storms (src/sim): the data is shaped by the simulator's alert
// rules and ground truth, not by the compressor under test.
describe('alert compression on simulated storms', () => {
  const concurrent = SCENARIOS.filter((s) => s.name.startsWith('two concurrent'));

  it.each(concurrent.map((s) => [s.name, s] as const))('%s: two unrelated faults come out as two incidents', (_name, s) => {
    const r = runScenario(s);
    expect(r.separated).toBe(true);
    expect(r.purity).toBeGreaterThanOrEqual(0.85);
    expect(r.incidents).toBeLessThan(r.episodes / 10);
  });

  it('a single fault storm compresses to a handful of incidents with every alert accounted for', () => {
    const r = runScenario(SCENARIOS[0]);
    expect(r.faults).toBe(1);
    expect(r.notifications).toBeGreaterThan(r.episodes);
    expect(r.compressionVsNotifications).toBeGreaterThanOrEqual(0.95);
    expect(r.purity).toBeGreaterThanOrEqual(0.85);
  });
});
