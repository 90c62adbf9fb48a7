/**
 * A batch of simulated cases for evaluation: every fault type × several targets × seeds, named
 * `<system>-<fault>-<target>-s<seed>`, with a truth.json in the PetShop shape
 * (`{ "<case>": { "entity", "split", "part" } }`, plus the fault type) so RCA evaluation code can read
 * simulated and real cases alike. Pure: the plan and truth only; the CLI runs and writes the cases.
 */
import { createRng } from './rng.js';
import { topologyFor } from './simulate.js';
import { faultCanAct, servedServices } from './topology-util.js';
import { FAULT_TYPES, SYMPTOMATIC_FAULT_TYPES, type FaultType, type SimOptions, type SystemSpec } from './types.js';

/** Knobs of a suite. */
export const DEFAULTS = {
  targetsPerFault: 4,
  seeds: [1, 2] as readonly number[],
  stepS: 30,
  /** Normal operation before the fault, and the time after it. */
  normalS: 4 * 3_600,
  afterS: 2_400,
  faultS: 1_200,
  /** A leak needs time to reach the limit. */
  memoryLeakS: 2_400,
  start: Date.UTC(2024, 2, 4, 6, 0, 0),
  traceRatePerS: 0.2,
  logsPerRequest: 0.005,
} as const;

/** One planned case: its name and the options that produce it. */
export interface SuiteCase {
  name: string;
  options: SimOptions;
  part: 'train' | 'test';
}

/** Plans the suite's cases. Pure and deterministic in `seed`. */
export function planSuite(
  a: {
    system?: SystemSpec;
    faults?: readonly FaultType[];
    targetsPerFault?: number;
    seeds?: readonly number[];
    clientSpans?: boolean;
  } = {},
): SuiteCase[] {
  const system = a.system ?? 'online-boutique';
  const seeds = a.seeds ?? DEFAULTS.seeds;
  const sysName = system === 'online-boutique' ? 'ob' : `gen${system.generated.services}`;
  const cases: SuiteCase[] = [];
  const wanted = a.faults ?? FAULT_TYPES;
  // Silent faults are planned after all the others, so adding one left every earlier case in its half.
  const groups = [
    wanted.filter((t) => SYMPTOMATIC_FAULT_TYPES.includes(t)),
    wanted.filter((t) => !SYMPTOMATIC_FAULT_TYPES.includes(t)),
  ];
  for (const types of groups)
    for (const seed of seeds) {
      const topology = topologyFor({ system, seed });
      // A fault on a service no request reaches changes nothing a request sees: no case to diagnose.
      const served = servedServices(topology);
      const candidates = topology.services.map((s) => s.name).filter((s) => served.has(s));
      for (const type of types) {
        const rng = createRng(seed, 'suite', type);
        const pool = candidates.filter((s) => faultCanAct(topology, type, s));
        const targets: string[] = [];
        const count = Math.min(a.targetsPerFault ?? DEFAULTS.targetsPerFault, pool.length);
        for (let k = 0; k < count; k++) targets.push(pool.splice(rng.int(pool.length), 1)[0]);
        for (const target of targets) {
          const durationS = type === 'memory-leak' ? DEFAULTS.memoryLeakS : DEFAULTS.faultS;
          // Start each case at a different time of day so seasonality differs between cases.
          const start = DEFAULTS.start + Math.floor(rng.next() * 24) * 3_600_000;
          cases.push({
            name: `${sysName}-${type}-${target}-s${seed}`,
            part: cases.length % 2 === 0 ? 'train' : 'test',
            options: {
              system,
              seed,
              start,
              stepS: DEFAULTS.stepS,
              durationS: DEFAULTS.normalS + durationS + DEFAULTS.afterS,
              faults: [{ type, target, startS: DEFAULTS.normalS, durationS }],
              traceRatePerS: DEFAULTS.traceRatePerS,
              logsPerRequest: DEFAULTS.logsPerRequest,
              clientSpans: a.clientSpans ?? false,
            },
          });
        }
      }
    }
  return cases;
}

/** truth.json for a suite, in the PetShop truth shape plus `fault`. */
export function suiteTruth(
  cases: SuiteCase[],
): Record<string, { entity: string; split: string; part: string; fault: FaultType }> {
  const out: Record<string, { entity: string; split: string; part: string; fault: FaultType }> = {};
  for (const c of cases) {
    const f = c.options.faults[0];
    out[c.name] = {
      entity: f.target,
      split:
        typeof c.options.system === 'string' ? c.options.system : `generated-${c.options.system.generated.services}`,
      part: c.part,
      fault: f.type,
    };
  }
  return out;
}
