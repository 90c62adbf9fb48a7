import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { InputError } from '../../../src/errors.js';
import { type LoghubScore, scoreLoghub } from '../../../src/logs/eval-loghub.js';
import { parseLoghubStructured } from '../../../src/logs/loghub.js';

interface EvalLogsOptions {
  dataset?: string;
  all?: string;
  json?: boolean;
}

/** `rootgraph eval logs --dataset DIR | --all DIR [--json]`: grouping accuracy on Loghub samples. */
export function registerEvalLogsCommand(evalCmd: Command): void {
  evalCmd
    .command('logs')
    .description(
      'Grouping accuracy of the template miner on Loghub samples (a folder holding <D>_2k.log_structured.csv)',
    )
    .option('--dataset <dir>', 'one Loghub dataset folder, e.g. ../shared/data/loghub/HDFS')
    .option('--all <dir>', 'a folder of Loghub dataset folders, e.g. ../shared/data/loghub')
    .option('--json', 'print JSON')
    .action((opts: EvalLogsOptions) => {
      const dirs = datasetDirs(opts);
      const scores = dirs.map((dir) => {
        const { name, csv } = structuredCsv(dir);
        process.stderr.write(`eval logs: ${name}\n`);
        return scoreLoghub(name, parseLoghubStructured(readFileSync(csv, 'utf8'), csv));
      });
      const mean = scores.reduce((s, r) => s + r.accuracy, 0) / scores.length;
      const withDrain = scores.filter((s) => s.drain !== undefined);
      const drainMean = withDrain.length
        ? withDrain.reduce((s, r) => s + (r.drain as number), 0) / withDrain.length
        : undefined;
      if (opts.json) console.log(JSON.stringify({ datasets: scores, meanGA: mean, drainMeanGA: drainMean }));
      else printScores(scores, mean, drainMean);
    });
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

function printScores(scores: LoghubScore[], mean: number, drainMean: number | undefined): void {
  const table = new Table({
    head: ['dataset', 'lines', 'true events', 'templates', 'GA', 'Drain GA (published)'],
    style: { head: [], border: [] },
  });
  const fmt = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(3));
  for (const s of scores)
    table.push([s.dataset, s.totalLines, s.trueGroups, s.parsedGroups, fmt(s.accuracy), fmt(s.drain)]);
  table.push(['mean', '', '', '', fmt(mean), fmt(drainMean)]);
  console.log(table.toString());
}
