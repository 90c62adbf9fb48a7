// `npm run bench -- rca [--quick] [--part latency|traces|reader|accuracy]`: RCA latency on simulated
// 50/500/3,000-service systems, reading and the trace steps on a large trace file (~786k spans, read back
// from a case folder as `rca --case` reads it), and accuracy on simulated Online Boutique faults of every
// type (fused, each component, MicroRank alone).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCase, type CaseSpan } from '../src/cases/read-case.js';
import { accuracy } from '../src/rca/accuracy.js';
import { analyseCase, type RcaInput } from '../src/rca/analyse-case.js';
import { rankMicroRank } from '../src/rca/microrank.js';
import { METHODS, rankRootCauses } from '../src/rca/rank-root-causes.js';
import { seededRng } from '../src/rca/rng.js';
import { indexSpans } from '../src/rca/span-index.js';
import { scoreTraceShift } from '../src/rca/trace-shift.js';
import { defaultWeights } from '../src/rca/weights.js';
import { MemoryGraphStore } from '../src/graph/memory/memory-graph-store.js';
import { loadRcaEvidence, saveRcaEvidence } from '../src/incidents/rca-evidence-store.js';
import {
  FAULT_TYPES,
  faultCanAct,
  onlineBoutique,
  simulate,
  toCaseFiles,
  type SimRun,
  type SystemSpec,
} from '../src/sim/index.js';
import { simToRcaInput } from '../app/demo/sim-to-rca-input.js';
import { readerSteps } from './rca-reader.js';
import { printTable, timeMs } from './table.js';

const START_MS = 1_700_000_000_000;

function toRcaInput(run: SimRun, entry: string): RcaInput {
  return simToRcaInput(run, { entry, incidentStart: run.truth.faults[0].start / 1000 });
}

function sim(
  system: SystemSpec,
  seed: number,
  fault: { type: (typeof FAULT_TYPES)[number]; target: string },
  traceRate: number,
): SimRun {
  return simulate({
    system,
    seed,
    start: START_MS,
    durationS: 3600,
    stepS: 30,
    traceRatePerS: traceRate,
    faults: [{ type: fault.type, target: fault.target, startS: 2400, durationS: 900 }],
  });
}

async function latency(sizes: number[]): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  for (const services of sizes) {
    const probe = simulate({
      system: { generated: { services } },
      seed: 1,
      start: START_MS,
      durationS: 60,
      stepS: 30,
      faults: [],
    });
    const target = probe.topology.services[probe.topology.services.length - 1].name;
    const entry = probe.topology.services.find((s) => s.kind === 'frontend')?.name ?? probe.topology.services[0].name;
    const run = sim({ generated: { services } }, 1, { type: 'cpu-hog', target }, services >= 3000 ? 0.5 : 1);
    const input = toRcaInput(run, entry);
    const times: number[] = [];
    const saves: number[] = [];
    const loads: number[] = [];
    let nodes = 0;
    let storedKb = 0;
    const graph = await MemoryGraphStore.open();
    for (let i = 0; i < 3; i++) {
      let a = analyseCase(input);
      times.push(
        await timeMs(() => {
          a = analyseCase(input);
          nodes = a.graph.nodes.length;
          rankRootCauses(a, defaultWeights(), { rng: seededRng(1) });
        }),
      );
      // What the RCA job adds to keep the evidence, and what the feedback job reads back.
      const at = { incident: i + 1, revision: 1, now: START_MS };
      saves.push(
        await timeMs(async () => {
          const saved = await saveRcaEvidence(graph, at, a);
          storedKb = saved.stored ? saved.bytes / 1024 : NaN;
        }),
      );
      loads.push(await timeMs(() => loadRcaEvidence(graph, at.incident, 1)));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[1];
    rows.push([
      services,
      nodes,
      input.series.length,
      input.spans?.length ?? 0,
      median(times),
      Math.min(...times),
      storedKb,
      median(saves),
      median(loads),
    ]);
  }
  printTable(
    'RCA latency (analyse + fused rank incl. MicroRank), median of 3; evidence kept for feedback (rca-evidence-store.ts)',
    ['services', 'candidates', 'series', 'spans', 'median ms', 'min ms', 'evidence KB', 'save ms', 'load ms'],
    rows,
  );
}

// One Online Boutique case as `sim export --trace-rate <rate>` writes it (5 h, fault 40 min before the
// end), read back through readCase so the spans carry per-row strings as they do from a file.
function writeLargeCase(traceRate: number): string {
  const durationS = 18_000;
  const run = simulate({
    system: 'online-boutique',
    seed: 7,
    start: Date.UTC(2024, 2, 5, 6),
    durationS,
    stepS: 30,
    traceRatePerS: traceRate,
    faults: [{ type: 'cpu-hog', target: 'cartservice', startS: durationS - 1200 - 2400, durationS: 1200 }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'rootgraph-bench-rca-'));
  for (const [name, text] of Object.entries(toCaseFiles(run, { logs: false }))) writeFileSync(join(dir, name), text);
  return dir;
}

async function largeTraceCase(
  traceRate: number,
): Promise<{ spans: CaseSpan[]; startNs: number; readMs: number; heapBytes: number }> {
  const dir = writeLargeCase(traceRate);
  try {
    const heapBefore = settledHeap();
    const t0 = performance.now();
    const c = await readCase(dir);
    const readMs = performance.now() - t0;
    return { spans: c.spans, startNs: c.incident.start * 1e9, readMs, heapBytes: settledHeap() - heapBefore };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Heap in use after a full collection where the bench runs with --expose-gc (npm run bench does).
function settledHeap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

async function largeTraces(traceRate: number): Promise<void> {
  const { spans, startNs, readMs, heapBytes } = await largeTraceCase(traceRate);
  printTable(
    `Reading traces.csv (readCase, Online Boutique, trace rate ${traceRate}/s)`,
    ['spans', 'read ms', 'spans/s', 'heap held, MB', 'bytes/span'],
    [
      [
        spans.length,
        readMs,
        Math.round(spans.length / (readMs / 1000)),
        heapBytes / 1e6,
        Math.round(heapBytes / spans.length),
      ],
    ],
  );
  const index = indexSpans(spans);
  const steps: Array<[string, () => unknown]> = [
    ['index spans (span-index.ts)', () => indexSpans(spans)],
    ['trace shift, from spans', () => scoreTraceShift(spans, startNs)],
    ['MicroRank, from spans', () => rankMicroRank(spans, startNs)],
    ['trace shift, given the index', () => scoreTraceShift(index, startNs)],
    ['MicroRank, given the index', () => rankMicroRank(index, startNs)],
  ];
  const rows: Array<Array<string | number>> = [];
  for (const [step, fn] of steps) {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push(await timeMs(fn));
    times.sort((x, y) => x - y);
    rows.push([step, spans.length, index.traceCount, times[1], times[0]]);
  }
  printTable(
    `Trace evidence on a large trace file (Online Boutique, trace rate ${traceRate}/s), median of 3`,
    ['step', 'spans', 'traces', 'median ms', 'min ms'],
    rows,
  );
}

async function boutique(seeds: number[]): Promise<void> {
  const targets = [
    'cartservice',
    'productcatalogservice',
    'currencyservice',
    'paymentservice',
    'recommendationservice',
    'checkoutservice',
  ];
  const ranks: Record<string, number[]> = Object.fromEntries(METHODS.map((m) => [m, []]));
  const byType: Record<string, number[]> = {};
  const topology = onlineBoutique();
  for (const type of FAULT_TYPES) {
    const able = targets.filter((t) => faultCanAct(topology, type, t));
    for (const seed of seeds) {
      const target = able[(seed + FAULT_TYPES.indexOf(type)) % able.length];
      const run = sim('online-boutique', seed, { type, target }, 1);
      const a = analyseCase(toRcaInput(run, 'frontend'));
      const truth = run.truth.faults[0].service;
      for (const m of METHODS) {
        const r =
          rankRootCauses(a, defaultWeights(), { method: m, rng: seededRng(1) }).findIndex((c) => c.entity === truth) +
          1;
        ranks[m].push(r);
        if (m === 'fused') (byType[type] ??= []).push(r);
      }
    }
  }
  printTable(
    `Online Boutique (simulated), ${FAULT_TYPES.length} fault types × ${seeds.length} seeds, no feedback`,
    ['method', 'cases', 'AC@1', 'AC@3', 'AC@5', 'Avg@5'],
    METHODS.map((m) => {
      const x = accuracy(ranks[m]);
      return [m, x.cases, x.ac1, x.ac3, x.ac5, x.avg5];
    }),
  );
  printTable(
    'fused, per fault type',
    ['fault', 'AC@1', 'AC@3', 'ranks'],
    FAULT_TYPES.map((t) => {
      const x = accuracy(byType[t]);
      return [t, x.ac1, x.ac3, byType[t].join(' ')];
    }),
  );
}

/** Benchmark entry point. `--quick` runs fewer sizes and seeds; `--part latency|traces|reader|accuracy` runs one table group. */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const at = args.indexOf('--part');
  const part = at >= 0 ? args[at + 1] : undefined;
  if (!part || part === 'latency') await latency(quick ? [50, 500] : [50, 500, 3000]);
  if (!part || part === 'traces') await largeTraces(quick ? 5 : 30);
  if (!part || part === 'reader') await readerSteps(quick ? [300] : [300, 3000]);
  if (!part || part === 'accuracy') await boutique(quick ? [1, 2] : [1, 2, 3]);
}
