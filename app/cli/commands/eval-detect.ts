import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import Table from 'cli-table3';
import { InvalidArgumentError, type Command } from 'commander';
import { listCases, readCase } from '../../../src/cases/read-case.js';
import { loadConfig } from '../../../src/config.js';
import { ALL_DETECTORS, type DetectorName } from '../../../src/detect/detect-case.js';
import { STAT_DETECTORS } from '../../../src/detect/detect-series.js';
import {
  calibrateThresholds,
  fromDetectorModelJson,
  toDetectorModelJson,
  trainDetectorModel,
  validationScores,
  type DetectorModel,
  type DetectorModelJson,
} from '../../../src/detect/detector-model.js';
import { candidatePolicies, choosePolicy, DEFAULT_POLICY, type PolicyScore } from '../../../src/detect/ensemble.js';
import { evaluateCases, type ModelSource, type NamedCase } from '../../../src/detect/evaluate-cases.js';
import { evaluateSim, SIM } from '../../../src/detect/evaluate-sim.js';
import { evalRows, falsePerDay, meanDelayS, type Figures } from '../../../src/detect/evaluate.js';
import { DEFAULTS as VAE_DEFAULTS, MODEL_REVISION, type VaeOptions } from '../../../src/detect/graph-lstm-vae/model.js';
import { SYMPTOMATIC_FAULT_TYPES } from '../../../src/sim/index.js';

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};
const positive = (v: string) => {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError('expected a positive number');
  return n;
};
const log = (s: string) => process.stderr.write(`${s}\n`);

/**
 * Trains models on demand, keeping each as JSON under `dir` keyed by its data and training options (so
 * reruns reuse them). Thresholds are recalibrated from the kept held-out scores at `falsePerDay` on
 * every load, so a budget or calibration change needs no retraining.
 */
export function modelSource(dir: string | undefined, vae: Partial<VaeOptions>, falsePerDay: number): ModelSource {
  return async ({ system, role, cube, stepS }) => {
    const key = createHash('sha256')
      // Keyed on the effective options, so `--window 12` and a default of 12 share a model.
      .update(
        JSON.stringify({
          MODEL_REVISION,
          system,
          role,
          vae: { ...VAE_DEFAULTS, ...vae },
          stepS,
          nodes: cube.nodes,
          features: cube.features,
        }),
      )
      .update(Buffer.from(cube.values.buffer, cube.values.byteOffset, cube.values.byteLength))
      .digest('hex')
      .slice(0, 16);
    const file = dir ? join(dir, `${role}-${key}.json`) : undefined;
    const cached = file ? await readFile(file, 'utf8').catch(() => undefined) : undefined;
    let m: DetectorModel;
    if (cached) {
      const json = JSON.parse(cached) as Partial<DetectorModelJson>;
      m = await fromDetectorModelJson(
        { ...json, validation: json.validation ?? { system: [], nodes: {} } } as DetectorModelJson,
        file,
      );
      // Files written before held-out scores were kept: score the validation windows again.
      if (!json.validation) {
        m.validation = await validationScores(m.vae, cube, m.training.validation);
        await writeFile(file!, JSON.stringify(await toDetectorModelJson(m)));
      }
    } else {
      log(
        `graph-lstm-vae: training ${role} model (${cube.nodes.length} nodes × ${cube.features.length} metrics, ${cube.steps} steps)`,
      );
      const t0 = Date.now();
      m = await trainDetectorModel({
        cube,
        stepS,
        system,
        falsePerDay,
        vae,
        onEpoch: (r) =>
          log(
            `  epoch ${r.epoch}/${r.epochs} loss ${r.loss.toFixed(3)} validation ${r.valLoss.toFixed(3)} lr ${r.learningRate.toPrecision(2)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
          ),
      });
      log(`  kept epoch ${m.training.bestEpoch}`);
      if (dir && file) {
        await mkdir(dir, { recursive: true });
        await writeFile(file, JSON.stringify(await toDetectorModelJson(m)));
      }
    }
    return { ...m, falsePerDay, thresholds: calibrateThresholds(m.validation, falsePerDay, m.stepS) };
  };
}

interface EvalDetectOptions {
  sim: boolean;
  simSeverity?: number;
  petshop: boolean;
  petshopDir: string;
  maxCases?: number;
  epochs?: number;
  window?: number;
  vae: boolean;
  budget?: number;
  modelCache: string;
  cache: boolean;
  allPolicies?: boolean;
  json?: boolean;
}

type Dataset = { name: string; title: string; figures: Map<string, Figures>; selects: boolean };

/** `rootgraph eval detect`: per dataset, incidents found, mean delay and false incidents per normal day, per detector and policy. */
export function registerEvalDetectCommand(evalCmd: Command): void {
  evalCmd
    .command('detect')
    .description(
      'Anomaly detection accuracy on simulated faults and the PetShop cases: incidents found, mean delay, false incidents per normal day, per detector and ensemble policy',
    )
    .option('--no-sim', 'skip the simulated runs')
    .option(
      '--sim-severity <s>',
      'fault strength of the simulated runs (1 = default; weaker faults use other seeds and no anomaly-free day)',
      positive,
    )
    .option('--no-petshop', 'skip the PetShop cases')
    .option('--petshop-dir <dir>', 'PetShop cases folder', '../shared/data/rca/petshop')
    .option('--max-cases <n>', 'evaluate at most about this many PetShop cases, spread over scenarios', positiveInt)
    .option('--epochs <n>', 'GraphLSTM-VAE: most training epochs (early stopping usually ends sooner)', positiveInt)
    .option('--window <n>', 'GraphLSTM-VAE window length in steps', positiveInt)
    .option('--no-vae', 'statistical detectors only')
    .option('--budget <n>', 'false incidents a day allowed (default ROOTGRAPH_DETECT_FALSE_PER_DAY, 1)', positive)
    .option('--model-cache <dir>', 'keep trained models here and reuse them', 'var/cache/detect-models')
    .option('--no-cache', 'always retrain')
    .option('--all-policies', 'print every candidate ensemble policy, not only the chosen and the default')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: EvalDetectOptions) => {
      const budget = opts.budget ?? loadConfig().detect.falsePerDay;
      const detectors: DetectorName[] = opts.vae ? [...ALL_DETECTORS] : [...STAT_DETECTORS];
      const policies = opts.vae ? candidatePolicies() : [];
      const rows = evalRows(detectors, policies);
      const vae: Partial<VaeOptions> = {
        ...(opts.epochs ? { epochs: opts.epochs } : {}),
        ...(opts.window ? { window: opts.window } : {}),
      };
      const models = modelSource(opts.cache ? opts.modelCache : undefined, vae, budget);
      const datasets: Dataset[] = [];
      if (opts.sim) {
        const severity = opts.simSeverity ?? 1;
        const figures = await evaluateSim({ detectors, rows, models, severity, onRun: (n) => log(`sim: ${n}`) });
        datasets.push({
          name: 'sim',
          title:
            severity === 1
              ? `Simulated Online Boutique: one ${SIM.faultMin}-min fault of each of ${SYMPTOMATIC_FAULT_TYPES.length} types (${SIM.runH} h runs, first ${SIM.historyH} h warm-up) + one anomaly-free day`
              : `Simulated Online Boutique, faults at severity ${severity}: one ${SIM.faultMin}-min fault of each of ${SYMPTOMATIC_FAULT_TYPES.length} types (other seeds, no anomaly-free day)`,
          figures,
          selects: true,
        });
      }
      if (opts.petshop) {
        let dirs = await listCases(opts.petshopDir);
        // Spread a capped run evenly over the (name-sorted) scenarios and splits.
        if (opts.maxCases && opts.maxCases < dirs.length)
          dirs = dirs.filter((_, i) => i % Math.ceil(dirs.length / opts.maxCases!) === 0);
        const cases: NamedCase[] = [];
        for (const d of dirs) cases.push(await readCase(d));
        const split = (name: string) => (/-train-/.test(name) ? 'train' : /-test-/.test(name) ? 'test' : 'all');
        const bySplit = await evaluateCases({
          cases,
          group: split,
          detectors,
          rows,
          models,
          onCase: (n) => log(`petshop: ${basename(n)}`),
        });
        for (const [s, figures] of [...bySplit].sort()) {
          datasets.push({
            name: `petshop-${s}`,
            title: `PetShop ${s} (${[...figures.values()][0]?.incidents ?? 0} cases; each replays its scenario's normal day, then the incident rows)`,
            figures,
            selects: s === 'train',
          });
        }
      }
      const scores: PolicyScore[] = rows.map((r) => {
        const sel = datasets.filter((d) => d.selects).map((d) => d.figures.get(r.name)!);
        const delays = sel.flatMap((f) => f.delaysS);
        return {
          name: r.name,
          found: sel.map((f) => f.found / Math.max(1, f.incidents)),
          falsePerDay: sel.map(falsePerDay),
          meanDelayS: delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length : NaN,
        };
      });
      const chosen = choosePolicy(
        scores.filter((s) => rows.find((r) => r.name === s.name)!.kind === 'ensemble'),
        budget,
      );
      const shown = new Set<string>([...detectors, DEFAULT_POLICY, ...(chosen ? [chosen.name] : [])]);
      if (opts.json) {
        const plain = (f: Figures) => ({ ...f, meanDelayS: meanDelayS(f), falsePerDay: falsePerDay(f) });
        console.log(
          JSON.stringify({
            budget,
            defaultPolicy: DEFAULT_POLICY,
            chosenPolicy: chosen?.name ?? null,
            selectionScores: scores,
            datasets: datasets.map((d) => ({
              name: d.name,
              title: d.title,
              rows: Object.fromEntries([...d.figures].map(([k, f]) => [k, plain(f)])),
            })),
          }),
        );
        return;
      }
      for (const d of datasets) {
        const t = new Table({
          head: [
            'detector / policy',
            'incidents found',
            'mean delay s',
            'false incidents',
            'false per normal day',
            'alarmed before start',
          ],
          style: { head: [], border: [] },
        });
        for (const [name, f] of d.figures) {
          if (!opts.allPolicies && !shown.has(name)) continue;
          const mark = name === DEFAULT_POLICY ? ' (serve default)' : name === chosen?.name ? ' (chosen)' : '';
          t.push([
            `${name}${mark}`,
            `${f.found}/${f.incidents}`,
            fmt(meanDelayS(f)),
            f.falseIncidents,
            fmt(falsePerDay(f)),
            f.alarmedBeforeStart,
          ]);
        }
        console.log(`\n${d.title}\n${t.toString()}`);
      }
      console.log(
        `\nEnsemble policy chosen on ${
          datasets
            .filter((d) => d.selects)
            .map((d) => d.name)
            .join(' + ') || '(nothing)'
        } at ≤ ${budget} false incident(s) per normal day: ${chosen?.name ?? 'none fits the budget'}; serve's default: ${DEFAULT_POLICY}${chosen && chosen.name !== DEFAULT_POLICY ? ' — they differ: update DEFAULT_POLICY in src/detect/ensemble.ts' : ''}`,
      );
    });
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
