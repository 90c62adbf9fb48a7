/**
 * A batch of simulated cases for evaluation: every fault type × several targets × seeds, named
 * `<system>-<fault>-<target>-s<seed>`, with a truth.json in the PetShop shape
 * (`{ "<case>": { "entity", "split", "part" } }`, plus the fault type) so RCA evaluation code can read
 * simulated and real cases alike. Pure: the plan and truth only; the CLI runs and writes the cases.
 */
import { createRng, type Rng } from './rng.js';
import { topologyFor } from './simulate.js';
import { faultCanAct, servedServices } from './topology-util.js';
import {
  FAULT_TYPES,
  SYMPTOMATIC_FAULT_TYPES,
  type FaultSpec,
  type FaultType,
  type SimOptions,
  type SystemSpec,
} from './types.js';

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
    /** Scales every fault's strength (1 = the fault types' defaults; below 1, subtler faults). */
    severity?: number;
    /** Scales the step-to-step jitter of latency and CPU (SimOptions.noiseScale). */
    noiseScale?: number;
    /** Adds a harmless change on another service near each fault (see `distractorFor`). */
    distractors?: boolean;
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
          const fault: FaultSpec = {
            type,
            target,
            startS: DEFAULTS.normalS,
            durationS,
            ...(a.severity === undefined ? {} : { severity: a.severity }),
          };
          const others = candidates.filter((s) => s !== target);
          // Its own stream: drawing it from `rng` would move every later case's start and targets.
          const extra =
            a.distractors && others.length > 0
              ? [distractorFor(fault, others, createRng(seed, 'distractor', type, target))]
              : [];
          cases.push({
            name: `${sysName}-${type}-${target}-s${seed}`,
            part: cases.length % 2 === 0 ? 'train' : 'test',
            options: {
              system,
              seed,
              start,
              stepS: DEFAULTS.stepS,
              durationS: DEFAULTS.normalS + durationS + DEFAULTS.afterS,
              faults: [fault, ...extra],
              traceRatePerS: DEFAULTS.traceRatePerS,
              logsPerRequest: DEFAULTS.logsPerRequest,
              clientSpans: a.clientSpans ?? false,
              ...(a.noiseScale === undefined ? {} : { noiseScale: a.noiseScale }),
            },
          });
        }
      }
    }
  return cases;
}

/**
 * A change near the fault that harms no request much, on `others` (another service): its memory grows
 * without reaching GC pressure, or a batch job takes a sixth of its CPU. Real incidents come with such
 * bystanders, and a ranking must not blame a service for moving when it explains no symptom. Starts
 * 0–4 minutes after the fault, so the incident still starts at the fault.
 */
export function distractorFor(fault: FaultSpec, others: readonly string[], rng: Rng): FaultSpec {
  const target = others[rng.int(others.length)];
  const startS = fault.startS + rng.int(5) * 60;
  return rng.next() < 0.5
    ? { type: 'memory-leak', target, startS, durationS: fault.durationS, severity: 0.3 }
    : { type: 'cpu-hog', target, startS, durationS: fault.durationS, severity: 0.15 };
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
