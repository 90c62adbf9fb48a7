// Scenario tests on the simulator (src/sim): the checks find the injected faults' error templates
// (and warning) templates in the faulty service and raise nothing on fault-free runs.
import { describe, expect, it } from 'vitest';
import type { TemplateMiner } from '../../src/logs/drain.js';
import { detectLogAnomalies } from '../../src/logs/log-checks.js';
import { serviceKey } from '../../src/logs/service-ref.js';
import { type LogLine, mineTemplateWindows } from '../../src/logs/template-windows.js';
import { type FaultType, type SimRun, simulate, upstreamOf } from '../../src/sim/index.js';
import { OWN_FAULT } from '../../src/sim/log-templates.js';

const H = 3600;
const START = Date.UTC(2025, 0, 6, 8);
const FAULT_AT = 2.5 * H;
const FAULT_FOR = 900;

function run(seed: number, fault?: { type: FaultType; target: string }): SimRun {
  const faults = fault ? [{ ...fault, startS: FAULT_AT, durationS: FAULT_FOR }] : [];
  return simulate({ system: 'online-boutique', seed, start: START, durationS: 3 * H, stepS: 60, faults });
}

/** Baseline = the first 2.5 h, current = the last 30 min (holding the fault, if any). */
function checkRun(sim: SimRun) {
  const miners = new Map<string, TemplateMiner>();
  const lines = (fromS: number, toS: number): LogLine[] =>
    [...sim.logs({ fromS, toS })].map((r) => ({
      timeMs: r.timeMs,
      service: r.service,
      level: r.level,
      message: r.message,
    }));
  const baseline = mineTemplateWindows(lines(0, FAULT_AT), { miners });
  const currentRecords = [...sim.logs({ fromS: FAULT_AT, toS: 3 * H })];
  const current = mineTemplateWindows(
    currentRecords.map((r) => ({ timeMs: r.timeMs, service: r.service, level: r.level, message: r.message })),
    { miners },
  );
  const anomalies = detectLogAnomalies({
    baseline: baseline.windows,
    current: current.windows,
    templates: current.templates,
  });
  return { anomalies, miners, currentRecords };
}

describe('log checks on simulated Online Boutique runs', () => {
  it.each([1, 2])('raise nothing on a fault-free run (seed %i)', (seed) => {
    expect(checkRun(run(seed)).anomalies).toEqual([]);
  });

  it.each<[FaultType, string]>([
    ['pod-crash', 'productcatalogservice'],
    ['error-return', 'currencyservice'],
    ['config-change', 'paymentservice'],
    ['dependency-timeout', 'cartservice'],
    ['packet-loss', 'productcatalogservice'],
    ['cpu-hog', 'paymentservice'],
  ])('find the warning and error templates that %s injects into %s', (type, target) => {
    const sim = run(3, { type, target });
    const { anomalies, miners, currentRecords } = checkRun(sim);
    // Ground truth: the templates of the fault's own warning/error lines, as the target's miner named them.
    const injectedIds = new Set(
      OWN_FAULT[type].filter((t) => t.level !== 'INFO' && t.level !== 'DEBUG').map((t) => t.id),
    );
    const injected = currentRecords.filter((r) => r.service === target && injectedIds.has(r.templateId));
    expect(injected.length).toBeGreaterThan(10);
    const miner = miners.get(serviceKey({ service: target })) as TemplateMiner;
    const clusters = new Set(injected.map((r) => miner.match(r.message)?.id));
    const reported = new Set(anomalies.filter((a) => a.service === target).flatMap((a) => a.templateIds));
    for (const id of clusters) expect(reported, `template ${id} of ${type}`).toContain(id);
    // Nothing before the fault, nothing outside the fault's blast radius (the target and its callers).
    const radius = new Set([target, ...upstreamOf(sim.topology, target)]);
    for (const a of anomalies) {
      expect(a.start).toBeGreaterThanOrEqual(START + FAULT_AT * 1000);
      expect(radius).toContain(a.service);
    }
  });
});
