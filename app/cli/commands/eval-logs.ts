import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { InputError } from '../../../src/errors.js';
import {
  type DetectionScore,
  flagFatal,
  flagFirstOccurrence,
  PUBLISHED_BGL,
  scoreFlags,
  toWindows,
} from '../../../src/logs/eval-anomalies.js';
import { type LoghubScore, scoreLoghub } from '../../../src/logs/eval-loghub.js';
import { TemplateMiner } from '../../../src/logs/drain.js';
import { groupingAccuracy } from '../../../src/logs/grouping-accuracy.js';
import { leaveOneDatasetOut } from '../../../src/logs/lodo.js';
import { parseLoghubStructured, type LoghubTruth } from '../../../src/logs/loghub.js';
import { loghubToCaseRows, toCaseLogsCsv } from '../../../src/logs/loghub-case.js';
import { generateSyntheticLogs, SYNTHETIC_SYSTEMS } from '../../../src/logs/synthetic-logs.js';
import {
  chooseStreamSetting,
  type SettingScore,
  SIM_LOGS,
  simLabelledRuns,
} from '../../../src/logs/eval-sim-anomalies.js';
import { DEFAULTS as STREAM_DEFAULTS, type LogCheckStreamOptions } from '../../../src/logs/log-check-stream.js';
import { checkCaseLogs } from './logs-check.js';

interface EvalLogsOptions {
  dataset?: string;
  all?: string;
  json?: boolean;
  lodo?: boolean;
  synthetic?: boolean;
  anomalies?: boolean;
}

/**
 * `rootgraph eval logs --dataset DIR | --all DIR [--lodo] [--synthetic] [--anomalies] [--json]`:
 * GA, PA and FGA of the template miner on Loghub samples; leave-one-dataset-out for its knobs;
 * GA on synthetic systems; log anomaly detection on BGL's labels.
 */
export function registerEvalLogsCommand(evalCmd: Command): void {
  evalCmd
    .command('logs')
    .description(
      'Template miner on Loghub samples (a folder holding <D>_2k.log_structured.csv): GA, PA, FGA; ' +
        '--lodo, --synthetic, --anomalies (BGL labels) add their tables',
    )
    .option('--dataset <dir>', 'one Loghub dataset folder, e.g. ../shared/data/loghub/HDFS')
    .option('--all <dir>', 'a folder of Loghub dataset folders, e.g. ../shared/data/loghub')
    .option('--lodo', 'leave-one-dataset-out: each dataset scored with knobs fitted on the others')
    .option('--synthetic', 'GA on synthetic systems the miner was not tuned on (no data needed)')
    .option('--anomalies', "log checks on BGL's per-line labels, beside naive and published baselines")
    .option('--json', 'print JSON')
    .action(async (opts: EvalLogsOptions) => {
      const out: Record<string, unknown> = {};
      const truths = opts.dataset || opts.all ? loadTruths(opts) : new Map<string, LoghubTruth>();
      if (truths.size > 0) out.parsing = parsing(truths, opts);
      if (opts.lodo) out.lodo = lodo(truths, opts);
      if (opts.synthetic) out.synthetic = synthetic(opts);
      if (opts.anomalies) out.anomalies = await anomalies(truths, opts);
      if (opts.json) console.log(JSON.stringify(out));
    });
}

function loadTruths(opts: EvalLogsOptions): Map<string, LoghubTruth> {
  const truths = new Map<string, LoghubTruth>();
  for (const dir of datasetDirs(opts)) {
    const { name, csv } = structuredCsv(dir);
    process.stderr.write(`eval logs: ${name}\n`);
    truths.set(name, parseLoghubStructured(readFileSync(csv, 'utf8'), csv));
  }
  return truths;
}

function parsing(truths: Map<string, LoghubTruth>, opts: EvalLogsOptions) {
  const scores = [...truths].map(([name, t]) => scoreLoghub(name, t));
  const mean = (f: (s: LoghubScore) => number) => scores.reduce((s, r) => s + f(r), 0) / scores.length;
  const withDrain = scores.filter((s) => s.drain !== undefined);
  const drainMean = withDrain.length
    ? withDrain.reduce((s, r) => s + (r.drain as number), 0) / withDrain.length
    : undefined;
  const result = {
    datasets: scores,
    meanGA: mean((s) => s.accuracy),
    meanPA: mean((s) => s.pa),
    meanFGA: mean((s) => s.fga),
    drainMeanGA: drainMean,
  };
  if (!opts.json) {
    const rows = scores.map((s) => [
      s.dataset,
      s.totalLines,
      s.trueGroups,
      s.parsedGroups,
      f3(s.accuracy),
      f3(s.pa),
      f3(s.fga),
      f3(s.drain),
    ]);
    rows.push(['mean', '', '', '', f3(result.meanGA), f3(result.meanPA), f3(result.meanFGA), f3(drainMean)]);
    print(
      'template mining, one setting for all datasets',
      ['dataset', 'lines', 'true events', 'templates', 'GA', 'PA', 'FGA', 'Drain GA (published)'],
      rows,
    );
  }
  return result;
}

function lodo(truths: Map<string, LoghubTruth>, opts: EvalLogsOptions) {
  if (truths.size < 2) throw new InputError('eval logs --lodo', 'needs at least two datasets (use --all DIR)');
  process.stderr.write('eval logs: leave-one-dataset-out over the knob grid…\n');
  const result = leaveOneDatasetOut(truths);
  if (!opts.json) {
    const knobs = (k: object) =>
      Object.entries(k)
        .map(([n, v]) => `${n}=${v}`)
        .join(' ');
    const rows = result.rows.map((r) => [r.dataset, knobs(r.knobs), f3(r.othersGA), f3(r.ga)]);
    rows.push(['mean', '', '', f3(result.meanGA)]);
    print(
      'leave-one-dataset-out: knobs fitted on the other datasets (mean GA there), GA on the held-out one',
      ['held out', 'knobs chosen', 'GA on the others', 'GA held out'],
      rows,
    );
  }
  return result;
}

function synthetic(opts: EvalLogsOptions) {
  const seeds = [1, 2, 3];
  const systems = Object.keys(SYNTHETIC_SYSTEMS).map((system) => {
    const ga = seeds.map((seed) => {
      const lines = generateSyntheticLogs(system, { seed, lines: 2000 });
      const miner = new TemplateMiner();
      const ids = lines.map((l) => miner.add(l.message).cluster.id).map((id) => miner.resolve(id));
      return groupingAccuracy(
        lines.map((l) => l.event),
        ids,
      ).accuracy;
    });
    return { system, events: SYNTHETIC_SYSTEMS[system].length, ga, mean: ga.reduce((a, b) => a + b) / ga.length };
  });
  const meanGA = systems.reduce((s, x) => s + x.mean, 0) / systems.length;
  if (!opts.json) {
    const rows = systems.map((s) => [s.system, s.events, ...s.ga.map(f3), f3(s.mean)]);
    rows.push(['mean', '', '', '', '', f3(meanGA)]);
    print(
      'synthetic systems (2,000 lines each, seeds 1-3): GA',
      ['system', 'events', 'seed 1', 'seed 2', 'seed 3', 'mean'],
      rows,
    );
  }
  return { systems, meanGA };
}

/** BGL through `logs check`'s own path: converted to a case-format CSV on the fly, labels kept aside. */
async function anomalies(truths: Map<string, LoghubTruth>, opts: EvalLogsOptions) {
  const bgl = truths.get('BGL');
  if (!bgl || !bgl.rows[0] || !('Label' in bgl.rows[0])) {
    throw new InputError('eval logs --anomalies', 'needs the BGL sample with its Label column', {
      hint: 'Pass --all ../shared/data/loghub (or --dataset ../shared/data/loghub/BGL).',
    });
  }
  // The stream's settings are chosen on the simulator's labelled runs, never on BGL (held out).
  process.stderr.write('eval logs: choosing the stream settings on simulated runs with labelled faults…\n');
  const grid = chooseStreamSetting(simLabelledRuns());
  const chosen = grid[0].setting;
  const tmp = mkdtempSync(join(tmpdir(), 'rootgraph-eval-logs-'));
  try {
    const runChecks = async (name: string, t: LoghubTruth) => {
      const rows = loghubToCaseRows(name, t);
      const file = join(tmp, `${name}-logs.csv`);
      writeFileSync(file, toCaseLogsCsv(rows));
      const flags: boolean[] = [];
      const window = await checkCaseLogs(file, chosen, (v) => void flags.push(v.anomalous));
      return { rows, flags, window };
    };
    const { rows, flags, window } = await runChecks('BGL', bgl);
    const truth = bgl.rows.map((r) => r.Label !== '-');
    const detectors: Array<[string, boolean[]]> = [
      ['rootgraph log checks (logs check)', flags],
      ['naive: flag every FATAL line', flagFatal(rows)],
      ["naive: flag each template's first occurrence", flagFirstOccurrence(rows)],
    ];
    const measured = detectors.map(([name, f]) => {
      const w = toWindows(rows, truth, f, window);
      return { detector: name, line: scoreFlags(truth, f), window: scoreFlags(w.truth, w.flags) };
    });
    const others: Array<{ dataset: string; lines: number; flagged: number; share: number }> = [];
    for (const [name, t] of truths) {
      if (name === 'BGL') continue;
      const r = await runChecks(name, t);
      const n = r.flags.filter(Boolean).length;
      others.push({ dataset: name, lines: r.flags.length, flagged: n, share: n / r.flags.length });
    }
    const setting = grid[0].label;
    const defaultsChosen = sameSetting(chosen, STREAM_DEFAULTS);
    if (!opts.json) {
      printGrid(grid, defaultsChosen);
      printAnomalies(measured, others, setting, truth);
    }
    return {
      setting,
      window,
      chosenOn: { grid, defaultsChosen },
      measured,
      published: PUBLISHED_BGL,
      otherDatasets: others,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** True when `logs check` without flags runs the setting the simulator chose. */
function sameSetting(s: Partial<LogCheckStreamOptions>, d: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(s).every(([k, v]) => d[k] === v);
}

function printGrid(grid: SettingScore[], defaultsChosen: boolean): void {
  const runs = grid[0].runs.length;
  print(
    `stream settings chosen on the simulator (Online Boutique, ${runs} runs with one fault each and ${2 * SIM_LOGS.seeds.length} fault-free, ` +
      `each in full and as a 1-in-${SIM_LOGS.sampleEvery} sample; a line is anomalous when the fault made it); BGL held out. ` +
      'Best first: settings whose mean per-line F1 over the faulty runs is not significantly below the best ' +
      '(paired t < 2 over the runs) are tied with it, and among them the strictest level wins; then by mean F1',
    [
      'setting',
      'mean F1 (faulty runs)',
      'paired t vs best mean',
      'tied',
      'pooled P',
      'pooled R',
      'pooled F1',
      'flags on fault-free runs',
    ],
    grid.map((g) => [
      g.label,
      f3(g.meanF1),
      Number.isFinite(g.tVsBest) ? g.tVsBest.toFixed(2) : '∞',
      g.tiedWithBest ? 'yes' : 'no',
      f3(g.line.precision),
      f3(g.line.recall),
      f3(g.line.f1),
      g.falseOnQuiet,
    ]),
  );
  console.log(
    defaultsChosen
      ? '`rootgraph logs check` runs the chosen setting by default.'
      : 'NOTE: the defaults of `rootgraph logs check` differ from the chosen setting.',
  );
}

function printAnomalies(
  measured: Array<{ detector: string; line: DetectionScore; window: DetectionScore }>,
  others: Array<{ dataset: string; lines: number; flagged: number; share: number }>,
  setting: string,
  truth: boolean[],
): void {
  const prf = (s: DetectionScore) => [f3(s.precision), f3(s.recall), f3(s.f1)];
  const rows = measured.map((m) => [
    m.detector,
    ...prf(m.line),
    m.line.flagged,
    ...prf(m.window),
    `${m.window.flagged}/${m.window.total}`,
  ]);
  for (const p of PUBLISHED_BGL)
    rows.push([`${p.method} (published*)`, '', '', '', '', f3(p.precision), f3(p.recall), f3(p.f1), '']);
  print(
    `BGL 2k sample (held out): ${truth.filter(Boolean).length} anomalous of ${truth.length} lines; ${setting} (chosen on the simulator); the checks learn as they go`,
    [
      'detector',
      'line P',
      'line R',
      'line F1',
      'lines flagged',
      'window P',
      'window R',
      'window F1',
      'windows flagged',
    ],
    rows,
  );
  console.log(
    `* ${PUBLISHED_BGL[0].source}: full BGL (4.7 M lines), 5-min sliding windows (1-min step), trained on 40 % of normal windows; per window. Context, not the same setting.`,
  );
  if (others.length > 0) {
    print(
      'share of lines the checks flag on the other samples (no labels)',
      ['dataset', 'lines', 'flagged', 'share'],
      others.map((o) => [o.dataset, o.lines, o.flagged, `${(100 * o.share).toFixed(2)} %`]),
    );
  }
}

function datasetDirs(opts: EvalLogsOptions): string[] {
  if (!opts.dataset === !opts.all) throw new InputError('eval logs', 'give exactly one of --dataset DIR or --all DIR');
  if (opts.dataset) return [opts.dataset];
  const root = opts.all as string;
  if (!existsSync(root)) throw new InputError(root, 'no such folder');
  const dirs = readdirSync(root)
    .map((d) => join(root, d))
    .filter((d) => statSync(d).isDirectory() && readdirSync(d).some((f) => f.endsWith('_structured.csv')))
    .sort();
  if (dirs.length === 0) throw new InputError(root, 'holds no dataset folder with a *_structured.csv');
  return dirs;
}

function structuredCsv(dir: string): { name: string; csv: string } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(dir, 'not a folder');
  const file = readdirSync(dir).find((f) => f.endsWith('_structured.csv'));
  if (!file)
    throw new InputError(dir, 'holds no *_structured.csv', {
      hint: 'Point at a Loghub dataset folder such as ../shared/data/loghub/HDFS.',
    });
  return { name: basename(dir), csv: join(dir, file) };
}

const f3 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(3));

function print(title: string, head: string[], rows: Array<Array<string | number>>): void {
  const table = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) table.push(r);
  console.log(`\n${title}\n${table.toString()}`);
}
