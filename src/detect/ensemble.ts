/**
 * Ensemble policies: how the cheap detectors' alarms and the GraphLSTM-VAE's combine before the
 * incident rule. The cheap detectors are fast and see SLIs directly; the VAE sees the system as a
 * whole. A policy pages on some paths at once and on others only when another detector confirms
 * within `confirmSteps`. Which policy serves is chosen by `rootgraph eval detect` (choosePolicy):
 * the most incidents found on PetShop's train split and the simulator within the false-alarm budget.
 */
import { InputError } from '../errors.js';
import type { DetectorRun, StatDetector } from './detect-series.js';
import { STAT_DETECTORS } from './detect-series.js';

/** Detectors a policy can draw on. */
export type EnsembleMember = StatDetector | 'graph-lstm-vae';

/** A named way to combine detector runs into one per-step alarm vector. */
export interface EnsemblePolicy {
  name: string;
  /** One line for humans. */
  describe: string;
  needs: EnsembleMember[];
  combine(runs: ReadonlyMap<string, DetectorRun>): Uint8Array;
}

/** Knobs shared by the policies. */
export const DEFAULTS = {
  /** A confirming alarm counts when it falls on this step or up to this many steps before it. */
  confirmSteps: 1,
  /**
   * In an ensemble the false-alarm budget is shared: the VAE's thresholds are calibrated at this share
   * of it, the rest is the cheap detectors'. Fitted as 1 minus the fast path's own false incidents a day
   * (EWMA on SLIs: 0.5 on PetShop's normal days, 0 on the simulator), rounded to a half.
   */
  vaeBudgetShare: 0.5,
};

/** The false-alarm budget (false incidents a day) the VAE's thresholds get inside an ensemble. Pure. */
export const ensembleVaeBudget = (falsePerDay: number, o: typeof DEFAULTS = DEFAULTS) => falsePerDay * o.vaeBudgetShare;

/**
 * The policy `serve` runs by default, as chosen by `rootgraph eval detect` on PetShop's train split
 * and the simulator at the default budget of one false incident a day: EWMA on the front door's SLIs
 * pages at once, the GraphLSTM-VAE pages on what the whole system does. It tied exactly with the
 * same policy on DSPOT and with four agreement candidates (ewma.sli|vae|a.sli&b.sli and
 * dspot.sli|vae|a.sli&b.sli); it comes first and needs the fewest detectors (BENCHMARKS.md).
 */
export const DEFAULT_POLICY = 'ewma.sli|vae';

const VAE = 'graph-lstm-vae';

/** Per step: a[t] and b alarmed at some s in [t − c, t]. Pure. */
export function confirmedBy(a: ArrayLike<number>, b: ArrayLike<number>, c: number): Uint8Array {
  const out = new Uint8Array(a.length);
  let last = -Infinity;
  for (let t = 0; t < a.length; t++) {
    if (b[t]) last = t;
    out[t] = a[t] && t - last <= c ? 1 : 0;
  }
  return out;
}

/** Per step: 1 where at least one of `xs` alarms. Pure. */
export function anyOf(...xs: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(xs[0]?.length ?? 0);
  for (const x of xs) for (let t = 0; t < out.length; t++) out[t] |= x[t] ? 1 : 0;
  return out;
}

function part(runs: ReadonlyMap<string, DetectorRun>, d: string, p?: string): Uint8Array {
  const r = runs.get(d);
  if (!r) throw new Error(`ensemble: no run of ${d}`);
  if (p === undefined) return r.alarms;
  const a = r.parts[p];
  if (!a) throw new Error(`ensemble: ${d} has no ${p} path`);
  return a;
}

/** Every candidate policy, for detectors `cheap` (all cheap detectors by default). */
export function candidatePolicies(
  cheap: readonly StatDetector[] = STAT_DETECTORS,
  o: typeof DEFAULTS = DEFAULTS,
): EnsemblePolicy[] {
  const c = o.confirmSteps;
  const out: EnsemblePolicy[] = [];
  for (const d of cheap) {
    const others = cheap.filter((x) => x !== d);
    out.push(
      {
        name: `${d}|vae`,
        describe: `${d} (SLI or spread) or the VAE, each paging alone`,
        needs: [d, VAE],
        combine: (r) => anyOf(part(r, d), part(r, VAE)),
      },
      {
        name: `${d}.sli|vae`,
        describe: `${d} on SLIs, or the VAE`,
        needs: [d, VAE],
        combine: (r) => anyOf(part(r, d, 'sli'), part(r, VAE)),
      },
      {
        name: `${d}.sli|${d}.spread&vae`,
        describe: `${d} on SLIs pages at once; ${d} spreading along the topology pages when the VAE confirms`,
        needs: [d, VAE],
        combine: (r) => anyOf(part(r, d, 'sli'), confirmedBy(part(r, d, 'spread'), part(r, VAE), c)),
      },
      {
        name: `${d}.sli|vae&${d}`,
        describe: `${d} on SLIs pages at once; the VAE pages when ${d} confirms`,
        needs: [d, VAE],
        combine: (r) => anyOf(part(r, d, 'sli'), confirmedBy(part(r, VAE), part(r, d), c)),
      },
      {
        name: `${d}&vae`,
        describe: `${d} finds it (SLI or spread), the VAE confirms it`,
        needs: [d, VAE],
        combine: (r) => confirmedBy(part(r, d), part(r, VAE), c),
      },
      {
        name: `${d}.sli|${d}.spread&agree`,
        describe: `${d} on SLIs pages at once; ${d} spreading pages when another cheap detector also sees it spread`,
        needs: [...cheap],
        combine: (r) =>
          anyOf(
            part(r, d, 'sli'),
            confirmedBy(part(r, d, 'spread'), anyOf(...others.map((x) => part(r, x, 'spread'))), c),
          ),
      },
    );
  }
  // Agreement as confirmation: two cheap detectors that model a series differently rarely misfire on the same step.
  for (const d of cheap)
    for (const a of cheap)
      for (const b of cheap) {
        if (a >= b || a === d || b === d) continue;
        out.push({
          name: `${d}.sli|vae|${a}.sli&${b}.sli`,
          describe: `${d} on SLIs, the VAE, or ${a} and ${b} agreeing on SLIs`,
          needs: [d, a, b, VAE],
          combine: (r) => anyOf(part(r, d, 'sli'), part(r, VAE), agree(part(r, a, 'sli'), part(r, b, 'sli'), c)),
        });
      }
  return out;
}

/** Per step: both alarmed within `c` steps of each other, marked at the later. Pure. */
export const agree = (a: ArrayLike<number>, b: ArrayLike<number>, c: number) =>
  anyOf(confirmedBy(a, b, c), confirmedBy(b, a, c));

/** The candidate named `name`; throws InputError listing the known names when there is none. */
export function policyByName(name: string, cheap: readonly StatDetector[] = STAT_DETECTORS): EnsemblePolicy {
  const all = candidatePolicies(cheap);
  const p = all.find((x) => x.name === name);
  if (!p)
    throw new InputError('ensemble policy', `unknown policy "${name}"`, {
      hint: `Known: ${all.map((x) => x.name).join(', ')}.`,
    });
  return p;
}

/** How a policy (or detector) did on the data it is chosen on. */
export interface PolicyScore {
  name: string;
  /** Share of incidents found, per dataset (e.g. PetShop train, simulator). */
  found: number[];
  /** False incidents per normal day, per dataset. */
  falsePerDay: number[];
  /** Mean detection delay in seconds over all found incidents (NaN when none). */
  meanDelayS: number;
}

/**
 * Picks the policy to serve: among those whose false incidents per day stay within `budget` on
 * every dataset, the one finding the largest mean share of incidents; ties go to fewer false
 * incidents, then to the shorter delay, then to the earlier in `scores`. Undefined when none fits
 * the budget. Pure.
 */
export function choosePolicy(scores: readonly PolicyScore[], budget: number): PolicyScore | undefined {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const fits = scores.filter((s) => s.falsePerDay.every((f) => f <= budget));
  const delay = (s: PolicyScore) => (Number.isFinite(s.meanDelayS) ? s.meanDelayS : Infinity);
  return [...fits].sort(
    (a, b) => mean(b.found) - mean(a.found) || mean(a.falsePerDay) - mean(b.falsePerDay) || delay(a) - delay(b),
  )[0];
}
