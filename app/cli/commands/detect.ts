import { InvalidArgumentError, type Command } from 'commander';
import { readCase } from '../../../src/cases/read-case.js';
import { ALL_DETECTORS, detectCase, type CaseDetection, type DetectorName } from '../../../src/detect/detect-case.js';
import { loadConfig } from '../../../src/config.js';
import { DEFAULT_POLICY } from '../../../src/detect/ensemble.js';
import { InputError } from '../../../src/errors.js';

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

/** Parses `--detectors a,b` against the known detector names. */
export function parseDetectors(v: string): DetectorName[] {
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!(ALL_DETECTORS as readonly string[]).includes(n))
      throw new InvalidArgumentError(`unknown detector "${n}" (known: ${ALL_DETECTORS.join(', ')})`);
  return names as DetectorName[];
}

const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

interface DetectOptions {
  case: string;
  detectors?: DetectorName[];
  epochs?: number;
  window?: number;
  policy?: string;
  budget?: number;
  limit: number;
  json?: boolean;
}

const positive = (v: string) => {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError('expected a positive number');
  return n;
};

/** `rootgraph detect --case DIR [--detectors …] [--epochs N] [--window N] [--policy P] [--budget N] [--json]`. */
export function registerDetectCommand(program: Command): void {
  program
    .command('detect')
    .description(
      'Metric anomaly detection over an offline case: anomalies found, and when the incident would have been declared',
    )
    .requiredOption('--case <dir>', 'an offline case folder (metrics.csv, topology.csv, incident.json)')
    .option('--detectors <list>', `comma-separated, from ${ALL_DETECTORS.join(', ')} (default: all)`, parseDetectors)
    .option(
      '--epochs <n>',
      'GraphLSTM-VAE: most training epochs (default 40; early stopping usually ends sooner)',
      positiveInt,
    )
    .option('--window <n>', 'GraphLSTM-VAE window length in steps (default 30)', positiveInt)
    .option('--policy <name>', `ensemble policy (default ${DEFAULT_POLICY}; "none" to skip)`)
    .option(
      '--budget <n>',
      'false incidents a day the VAE thresholds allow (default ROOTGRAPH_DETECT_FALSE_PER_DAY, 1)',
      positive,
    )
    .option('--limit <n>', 'anomalies listed per detector in text output', positiveInt, 10)
    .option('--json', 'print JSON on stdout')
    .action(async (opts: DetectOptions) => {
      const c = await readCase(opts.case);
      if (c.series.length === 0) throw new InputError(`${c.name}/metrics.csv`, 'no metric series to detect on');
      const { results, plan } = await detectCase(c, {
        detectors: opts.detectors,
        policy: opts.policy,
        falsePerDay: opts.budget ?? loadConfig().detect.falsePerDay,
        vae: { ...(opts.epochs ? { epochs: opts.epochs } : {}), ...(opts.window ? { window: opts.window } : {}) },
        onEpoch: (r) =>
          process.stderr.write(
            `graph-lstm-vae: epoch ${r.epoch}/${r.epochs} loss ${r.loss.toFixed(3)} validation ${r.valLoss.toFixed(3)}\n`,
          ),
      });
      if (opts.json) {
        console.log(
          JSON.stringify({
            case: c.name,
            incidentStart: c.incident.start,
            historyRows: plan.history,
            rows: plan.order.length,
            results,
          }),
        );
        return;
      }
      console.log(
        `case ${c.name}: incident start ${iso(c.incident.start)}; ${plan.history} history rows replayed first, then ${plan.order.length - plan.history} rows`,
      );
      for (const r of results) console.log(describe(r, opts.limit, c.incident.start));
    });
}

function describe(r: CaseDetection, limit: number, start: number): string {
  const lines = [
    `\n${r.detector}: ${r.anomalies.length} anomalies, ${r.falseIncidents} false incident(s) on history, ` +
      (r.declared
        ? `incident declared at ${iso(r.declared.at)} (${r.declared.delayS} s after start)`
        : 'incident NOT declared'),
  ];
  if (r.model)
    lines.push(
      `  model: topology ${r.model.topology.action}; ${r.model.trainLoss.length} epochs, kept epoch ${r.model.bestEpoch}${r.model.inSample ? '; trained on this history, so its false incidents there are in-sample' : ''}`,
    );
  // Closest to the incident start first: those are the ones an on-call engineer looks at.
  const top = [...r.anomalies].sort((a, b) => Math.abs(a.start - start) - Math.abs(b.start - start)).slice(0, limit);
  for (const a of top)
    lines.push(`  ${iso(a.start)} → ${iso(a.end)}  ${a.entity} | ${a.metric}  score ${a.score.toFixed(2)}`);
  return lines.join('\n');
}
