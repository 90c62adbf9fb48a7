import { basename } from 'node:path';
import Table from 'cli-table3';
import { InvalidArgumentError, type Command } from 'commander';
import { listCases, readCase } from '../../../src/cases/read-case.js';
import { detectCase, type DetectorName } from '../../../src/detect/detect-case.js';
import { runStatDetector, STAT_DETECTORS, type SeriesInput } from '../../../src/detect/detect-series.js';
import { emptyTally, summarise, tallyRun, type DetectionTally } from '../../../src/detect/eval-metrics.js';
import { GraphLstmVae } from '../../../src/detect/graph-lstm-vae/model.js';
import type { ReplayPlan } from '../../../src/detect/plan.js';
import { runVaeDetector, toCube } from '../../../src/detect/vae-detect.js';
import { FAULT_TYPES, simulate, type SimRun } from '../../../src/sim/index.js';

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};
const log = (s: string) => process.stderr.write(`${s}\n`);

/** Simulation set-up of the evaluation (Online Boutique, 1-minute steps). */
const SIM = {
  stepS: 60,
  runH: 8,
  faultAtH: 5,
  faultMin: 30,
  historyH: 4,
  quietH: 24,
  trainH: 12,
  graceSteps: 10,
  start: Date.UTC(2024, 0, 1),
};
const TARGETS = [
  'cartservice',
  'productcatalogservice',
  'currencyservice',
  'paymentservice',
  'checkoutservice',
  'recommendationservice',
  'shippingservice',
  'adservice',
];

/** Service-level series of a run, as detector input (pods and machines left out: same signals, finer grain). */
function serviceSeries(run: SimRun): SeriesInput[] {
  return [...run.metrics.series.values()]
    .filter((s) => s.kind === 'service')
    .map((s) => ({ entity: s.entity, metric: s.metric, values: s.values }));
}

function simRun(seed: number, hours: number, fault?: { type: (typeof FAULT_TYPES)[number]; target: string }): SimRun {
  return simulate({
    system: 'online-boutique',
    seed,
    start: SIM.start,
    durationS: hours * 3600,
    stepS: SIM.stepS,
    faults: fault ? [{ ...fault, startS: SIM.faultAtH * 3600, durationS: SIM.faultMin * 60 }] : [],
  });
}

/** Event/point measures per detector on simulated runs with each fault type and on one anomaly-free day. */
async function evalSim(opts: { epochs: number }): Promise<Record<string, ReturnType<typeof summarise>>> {
  const train = simRun(900, SIM.trainH);
  const trainSeries = serviceSeries(train);
  const edges = train.topology.edges.map((e) => [e.source, e.target] as [string, string]);
  const n = train.metrics.timestamps.length;
  log(
    `sim: training GraphLSTM-VAE on an anomaly-free ${SIM.trainH} h run (${new Set(trainSeries.map((s) => s.entity)).size} services)`,
  );
  const model = await GraphLstmVae.train(
    toCube(
      trainSeries,
      Array.from({ length: n }, (_, i) => i),
      edges,
    ),
    {
      epochs: opts.epochs,
      onEpoch: (e, l) => log(`graph-lstm-vae: epoch ${e}/${opts.epochs} loss ${l.toFixed(3)}`),
    },
  );
  const tallies = new Map<string, DetectionTally>([...STAT_DETECTORS, 'graph-lstm-vae'].map((d) => [d, emptyTally()]));
  const runs: Array<{ name: string; run: SimRun }> = FAULT_TYPES.map((type, i) => ({
    name: type,
    run: simRun(100 + i, SIM.runH, { type, target: TARGETS[i % TARGETS.length] }),
  }));
  runs.push({ name: 'anomaly-free day', run: simRun(200, SIM.quietH) });
  for (const { name, run } of runs) {
    log(`sim: ${name}`);
    const ts = run.metrics.timestamps;
    const history = (SIM.historyH * 3600) / SIM.stepS;
    const plan: ReplayPlan = {
      order: Array.from({ length: ts.length }, (_, i) => i),
      history,
      segments: [{ start: 0, end: ts.length - 1 }],
      breaks: [],
    };
    const series = serviceSeries(run);
    const faults = run.truth.faults.map((f) => ({
      start: Math.round((f.start / 1000 - ts[0]) / SIM.stepS),
      end: Math.round((f.end / 1000 - ts[0]) / SIM.stepS),
    }));
    for (const d of STAT_DETECTORS) {
      const r = runStatDetector({ detector: d, series, timestamps: ts, plan, entry: 'frontend' });
      tallyRun(
        tallies.get(d)!,
        { incidents: r.incidents, alarms: r.sloAlarms, judgedFrom: history, faults, stepS: SIM.stepS },
        SIM.graceSteps,
      );
    }
    const v = await runVaeDetector({ series, timestamps: ts, plan, edges, model });
    tallyRun(
      tallies.get('graph-lstm-vae')!,
      { incidents: v.incidents, alarms: v.sloAlarms, judgedFrom: history, faults, stepS: SIM.stepS },
      SIM.graceSteps,
    );
  }
  model.dispose();
  return Object.fromEntries([...tallies].map(([d, t]) => [d, summarise(t)]));
}

interface PetshopRow {
  detector: string;
  cases: number;
  flagged: number;
  meanDelayS: number;
  falseIncidents: number;
  casesWithFalse: number;
}

/** PetShop: is the incident flagged, and how many false incidents the normal day raises, per detector. */
async function evalPetshop(opts: {
  dir: string;
  maxCases?: number;
  epochs: number;
  detectors: DetectorName[];
}): Promise<PetshopRow[]> {
  let cases = await listCases(opts.dir);
  // Spread a capped run evenly over the (name-sorted) scenarios and splits.
  if (opts.maxCases && opts.maxCases < cases.length)
    cases = cases.filter((_, i) => i % Math.ceil(cases.length / opts.maxCases!) === 0);
  const rows = new Map<string, PetshopRow & { delays: number[] }>(
    opts.detectors.map((d) => [
      d,
      { detector: d, cases: 0, flagged: 0, meanDelayS: NaN, falseIncidents: 0, casesWithFalse: 0, delays: [] },
    ]),
  );
  for (const dir of cases) {
    log(`petshop: ${basename(dir)}`);
    const { results } = await detectCase(await readCase(dir), {
      detectors: opts.detectors,
      vae: { epochs: opts.epochs },
    });
    for (const r of results) {
      const row = rows.get(r.detector)!;
      row.cases++;
      if (r.declared) {
        row.flagged++;
        row.delays.push(r.declared.delayS);
      }
      row.falseIncidents += r.falseIncidents;
      if (r.falseIncidents > 0) row.casesWithFalse++;
    }
  }
  return [...rows.values()].map(({ delays, ...r }) => ({
    ...r,
    meanDelayS: delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length : NaN,
  }));
}

interface EvalDetectOptions {
  sim: boolean;
  petshop: boolean;
  petshopDir: string;
  maxCases?: number;
  epochs: number;
  petshopEpochs: number;
  noVae?: boolean;
  json?: boolean;
}

/** `rootgraph eval detect [--no-sim] [--no-petshop] [--max-cases N] [--epochs N] [--no-vae] [--json]`. */
export function registerEvalDetectCommand(evalCmd: Command): void {
  evalCmd
    .command('detect')
    .description(
      'Anomaly detection accuracy: simulated Online Boutique faults and anomaly-free runs, and the PetShop cases',
    )
    .option('--no-sim', 'skip the simulated runs')
    .option('--no-petshop', 'skip the PetShop cases')
    .option('--petshop-dir <dir>', 'PetShop cases folder', '../shared/data/rca/petshop')
    .option('--max-cases <n>', 'evaluate at most about this many PetShop cases, spread over scenarios', positiveInt)
    .option('--epochs <n>', 'GraphLSTM-VAE epochs on the simulated training run', positiveInt, 8)
    .option('--petshop-epochs <n>', 'GraphLSTM-VAE epochs per PetShop case (trained on its normal day)', positiveInt, 3)
    .option('--no-vae', 'statistical detectors only')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: EvalDetectOptions & { vae: boolean }) => {
      const detectors: DetectorName[] = opts.vae ? [...STAT_DETECTORS, 'graph-lstm-vae'] : [...STAT_DETECTORS];
      const sim = opts.sim ? await evalSim({ epochs: opts.epochs }) : undefined;
      const petshop = opts.petshop
        ? await evalPetshop({ dir: opts.petshopDir, maxCases: opts.maxCases, epochs: opts.petshopEpochs, detectors })
        : undefined;
      if (opts.json) {
        console.log(
          JSON.stringify({
            sim: sim ? { setup: SIM, faultTypes: FAULT_TYPES, byDetector: sim } : null,
            petshop: petshop ?? null,
          }),
        );
        return;
      }
      const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
      if (sim) {
        const t = new Table({
          head: [
            'detector',
            'detected',
            'event P',
            'event R',
            'event F1',
            'point F1',
            'mean delay s',
            'false incidents/day',
          ],
          style: { head: [], border: [] },
        });
        for (const [d, s] of Object.entries(sim))
          t.push([
            d,
            s.detected,
            fmt(s.eventPrecision),
            fmt(s.eventRecall),
            fmt(s.eventF1),
            fmt(s.pointF1),
            fmt(s.meanDelayS),
            fmt(s.falseIncidentsPerDay),
          ]);
        console.log(
          `Simulated Online Boutique: one ${SIM.faultMin}-min fault of each of ${FAULT_TYPES.length} types (${SIM.runH} h runs, first ${SIM.historyH} h warm-up) + one anomaly-free day; incidents from frontend SLIs\n${t.toString()}`,
        );
      }
      if (petshop) {
        const t = new Table({
          head: [
            'detector',
            'cases',
            'incident flagged',
            'mean delay s',
            'false incidents (normal days)',
            'cases with ≥1 false',
          ],
          style: { head: [], border: [] },
        });
        for (const r of petshop)
          t.push([
            r.detector,
            r.cases,
            `${r.flagged}/${r.cases}`,
            fmt(r.meanDelayS),
            r.falseIncidents,
            r.casesWithFalse,
          ]);
        console.log(
          `\nPetShop (${opts.petshopDir}): normal day replayed first, then the incident rows; incidents from the entry's SLIs (VAE: overall score)\n${t.toString()}`,
        );
      }
    });
}
