import { MemoryGraphStore } from '../graph/memory/memory-graph-store.js';
import { analyseCase } from '../rca/analyse-case.js';
import { rankRootCauses } from '../rca/rank-root-causes.js';
import { seededRng } from '../rca/rng.js';
import { defaultWeights } from '../rca/weights.js';
import { FAULT_TYPES, onlineBoutique, simulate, type FaultType } from '../sim/index.js';
import { simToRcaInput } from './sim-to-rca-input.js';
import { topologyToGraphBatch } from './topology-to-graph.js';

export interface DemoOptions {
  fault?: FaultType;
  target?: string;
  seed: number;
  dataDir: string;
  out: (line: string) => void;
}

const START_MS = Date.UTC(2026, 0, 5, 2, 0, 0);
const FAULT_AT_S = 2_400;

/**
 * The embedded-default loop on a simulated Online Boutique: graph in memory (snapshotted to
 * `dataDir`), an injected fault, and the ranked root causes. Returns whether the diagnosis was right.
 */
export async function runDemo(opts: DemoOptions): Promise<{ correct: boolean; truth: string; top: string }> {
  const boutique = onlineBoutique();
  const candidates = boutique.services.filter((s) => s.kind !== 'frontend').map((s) => s.name);
  const pick = <T>(xs: readonly T[], i: number) => xs[Math.abs(i) % xs.length];
  const fault = opts.fault ?? pick(FAULT_TYPES, opts.seed);
  const target = opts.target ?? pick(candidates, opts.seed * 7 + 3);
  opts.out(`simulating Online Boutique (seed ${opts.seed}): ${fault} on ${target} at +${FAULT_AT_S / 60} min`);
  const run = simulate({ system: 'online-boutique', seed: opts.seed, start: START_MS, durationS: 3_600, stepS: 30, faults: [{ type: fault, target, startS: FAULT_AT_S, durationS: 900 }] });

  const graph = await MemoryGraphStore.open({ dataDir: opts.dataDir });
  const report = await graph.upsert(topologyToGraphBatch(run.topology, START_MS));
  const counts = await graph.counts();
  opts.out(`knowledge graph (embedded, ${opts.dataDir}): ${counts.nodes} nodes, ${counts.edges} relationships (+${report.nodesCreated} nodes this run)`);
  await graph.close();

  const incidentStart = (START_MS + FAULT_AT_S * 1000) / 1000;
  const analysis = analyseCase(simToRcaInput(run, { entry: 'frontend', incidentStart }));
  const ranking = rankRootCauses(analysis, defaultWeights(), { rng: seededRng(opts.seed) });
  opts.out('ranked root causes:');
  for (const [i, c] of ranking.slice(0, 5).entries()) {
    const moved = c.explanation.metrics.map((m) => `${m.metric} z=${m.z.toFixed(1)}`).join(', ');
    opts.out(`  ${i + 1}. ${c.entity.padEnd(24)} score ${c.score.toFixed(3)}  ${moved}`);
  }
  const truth = run.truth.faults[0].service;
  const top = ranking[0]?.entity ?? '(none)';
  opts.out(top === truth ? `diagnosis correct: ${truth} ranked first` : `diagnosis wrong: ranked ${top} first, the fault was in ${truth}`);
  return { correct: top === truth, truth, top };
}
