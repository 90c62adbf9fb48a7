import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { InputError } from '../../../src/errors.js';
import { type TemplateCluster, TemplateMiner } from '../../../src/logs/drain.js';
import { compileLogFormat } from '../../../src/logs/log-format.js';
import { type CheckOptions, runCheck } from './logs-check.js';

interface TemplatesOptions {
  format?: string;
  json?: boolean;
  state?: string;
}

/**
 * `rootgraph logs templates FILE [--format F] [--state S] [--json]`: mine a log file's templates;
 * `rootgraph logs check FILE [--json]`: anomaly verdicts per line of a case-format logs.csv.
 */
export function registerLogsCommand(program: Command): void {
  const logs = program.command('logs').description('Mine log templates and check logs for anomalies');
  logs
    .command('templates')
    .description('Mine templates from a log file; with --json print {"line","cluster","template"} per input line')
    .argument('<file>', 'log file, one record per line')
    .option(
      '--format <format>',
      "header layout, e.g. '<Date> <Time> <Level> <Component>: <Content>'; default: each line is one message",
    )
    .option(
      '--state <file>',
      'miner state (JSON): loaded if it exists, saved after the run, so template ids stay stable',
    )
    .option('--json', "print one JSON object per input line (the line's final cluster and template)")
    .action(async (file: string, opts: TemplatesOptions) => {
      await runTemplates(file, opts);
    });
  logs
    .command('check')
    .description(
      'Log anomaly checks over a case-format logs.csv (timestamp,entity,level,message), learning as it goes; ' +
        'with --json print {"line","anomalous","score","reason"} per input line, in input order',
    )
    .argument('<file>', 'logs.csv with the header timestamp,entity,level,message')
    .option('--json', 'print one JSON object per input line')
    .option('--window-lines <n>', "a window is each entity's next n lines instead of time windows")
    .option(
      '--window-ms <ms>',
      "time windows of this many milliseconds (default 60000, the job's), a sparse entity's pooled to 20 lines",
    )
    .action(async (file: string, opts: CheckOptions) => {
      if (!existsSync(file)) throw new InputError(file, 'no such file');
      await runCheck(file, opts);
    });
}

async function runTemplates(file: string, opts: TemplatesOptions): Promise<void> {
  if (!existsSync(file)) throw new InputError(file, 'no such file');
  if (statSync(file).isDirectory())
    throw new InputError(file, 'is a directory', { hint: 'expected a log file, one record per line' });
  const format = opts.format === undefined ? undefined : compileLogFormat(opts.format);
  const miner =
    opts.state && existsSync(opts.state) ? TemplateMiner.restore(readJson(opts.state)) : new TemplateMiner();
  // Each line keeps its cluster object, so its template is rendered as it stands after the whole file.
  const perLine: TemplateCluster[] = [];
  let unparsed = 0;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    let message = line;
    if (format) {
      const fields = format.parse(line);
      if (fields) message = fields.Content;
      else unparsed++;
    }
    perLine.push(miner.add(message).cluster);
  }
  // Nothing mined is not a success: an empty file is more likely the wrong file.
  if (perLine.length === 0) throw new InputError(file, 'is empty: no log line to mine');
  if (unparsed > 0)
    process.stderr.write(`logs templates: ${unparsed} line(s) did not fit --format; mined as whole lines\n`);
  if (opts.state) writeFileSync(opts.state, JSON.stringify(miner.snapshot()));
  if (opts.json) await printPerLine(perLine, miner);
  else printSummary(miner.clusters(), perLine.length);
}

async function printPerLine(perLine: TemplateCluster[], miner: TemplateMiner): Promise<void> {
  // Clusters merge as the miner learns: report each line's cluster as it stands at the end.
  const final = new Map(miner.clusters().map((c) => [c.id, c]));
  const now = (c: TemplateCluster) => final.get(miner.resolve(c.id)) ?? c;
  const CHUNK = 5000;
  let closed = false;
  // A reader that stops early (`| head`) closes the pipe: stop writing instead of crashing.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
    process.stdout.emit('drain');
  });
  for (let i = 0; i < perLine.length && !closed; i += CHUNK) {
    let out = '';
    const end = Math.min(perLine.length, i + CHUNK);
    for (let k = i; k < end; k++) {
      const c = now(perLine[k]);
      out += `${JSON.stringify({ line: k + 1, cluster: c.id, template: c.template })}\n`;
    }
    // Respect backpressure so a million lines piped to `head` or a file do not pile up in memory.
    if (!process.stdout.write(out)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}

function printSummary(clusters: TemplateCluster[], lines: number): void {
  console.log(`${lines} lines, ${clusters.length} templates`);
  for (const c of [...clusters].sort((a, b) => b.size - a.size))
    console.log(`${String(c.size).padStart(8)}  [${c.id}] ${c.template}`);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(path, `not valid JSON: ${(err as Error).message}`, {
      hint: 'Delete the state file to start afresh.',
    });
  }
}
