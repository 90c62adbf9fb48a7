/**
 * What early returns (the simulator's `wrong-return` fault) do to traffic: per service, the share of its
 * requests returning early; per operation, its expected calls per external request step by step (the
 * calls it skips are not made, so neither are its callees' own calls); per service, its requests over
 * normal. Pure.
 */
import { keptCalls, type PodEffects } from './faults.js';
import { opKey } from './topology-util.js';
import type { Topology } from './types.js';

/** Early-return shares per faulty service, and traffic over normal per service whose traffic changes. */
export function earlyReturnTraffic(
  topology: Topology,
  fxByPod: Map<string, PodEffects>,
  order: number[],
  opIndex: Map<string, number>,
  visits: Float64Array,
  steps: number,
): { early: Map<string, Float64Array>; trafficRatio: Map<string, Float64Array> } {
  const early = earlyReturnShares(topology, fxByPod, steps);
  const visitsAt = visitsPerStep(topology, order, opIndex, visits, early, steps);
  return { early, trafficRatio: serviceTrafficRatios(topology, visits, visitsAt, steps) };
}

/** Per service whose traffic changes: its expected requests per step over its normal ones. */
function serviceTrafficRatios(
  topology: Topology,
  visits: Float64Array,
  visitsAt: Float64Array[],
  steps: number,
): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  if (visitsAt.length === 0) return out;
  for (const s of topology.services) {
    const idx = topology.operations.flatMap((o, i) => (o.service === s.name ? [i] : []));
    const normal = idx.reduce((x, i) => x + visits[i], 0);
    if (normal <= 0) continue;
    const ratio = new Float64Array(steps);
    let moved = false;
    for (let t = 0; t < steps; t++) {
      for (const i of idx) ratio[t] += visitsAt[i][t];
      ratio[t] /= normal;
      if (Math.abs(ratio[t] - 1) > 1e-12) moved = true;
    }
    if (moved) out.set(s.name, ratio);
  }
  return out;
}

/** Per service with an early-return fault: the share of its requests returning early, per step (its pods' mean). */
function earlyReturnShares(
  topology: Topology,
  fxByPod: Map<string, PodEffects>,
  steps: number,
): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  // One pass over the pods, run for every simulation: most have no fault, and none of them this one.
  const faulty = topology.pods.filter((p) => fxByPod.get(p.name)?.earlyReturn.some((v) => v > 0));
  if (faulty.length === 0) return out;
  const replicas = new Map<string, number>();
  for (const p of topology.pods) replicas.set(p.service, (replicas.get(p.service) ?? 0) + 1);
  for (const p of faulty) {
    const e = fxByPod.get(p.name)!.earlyReturn;
    const share = out.get(p.service) ?? new Float64Array(steps);
    for (let t = 0; t < steps; t++) share[t] += e[t] / replicas.get(p.service)!;
    out.set(p.service, share);
  }
  return out;
}

/**
 * Expected calls of each operation per external request, per step: `visits` less the calls early returns
 * skip; empty when nothing returns early.
 */
function visitsPerStep(
  topology: Topology,
  order: number[],
  opIndex: Map<string, number>,
  visits: Float64Array,
  early: Map<string, Float64Array>,
  steps: number,
): Float64Array[] {
  const ops = topology.operations;
  if (early.size === 0) return [];
  const at = ops.map((o) => new Float64Array(steps).fill(o.entryShare));
  for (let k = order.length - 1; k >= 0; k--) {
    const o = ops[order[k]];
    const share = early.get(o.service);
    const keep = keptCalls(o.calls.length);
    o.calls.forEach((c, j) => {
      const to = at[opIndex.get(opKey(c.service, c.operation))!];
      const from = at[order[k]];
      const m = c.count * c.p;
      for (let t = 0; t < steps; t++) to[t] += from[t] * m * (share && j >= keep ? 1 - share[t] : 1);
    });
  }
  return at;
}
