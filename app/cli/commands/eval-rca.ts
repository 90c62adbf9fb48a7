import Table from 'cli-table3';
import type { Command } from 'commander';
import { basename } from 'node:path';
import { listCases, readTruth } from '../../../src/cases/read-case.js';
import { parseSignals, SIGNALS, withoutSignals } from '../../../src/cases/without-signals.js';
import { EXPORT_SLIPS, parseSlips, withExportSlips } from '../../../src/cases/export-slips.js';
import { normaliseCase } from '../../../src/cases/normalise-case.js';
import { readingKinds } from '../../../src/cases/reading-notes.js';
import { entityAsRead } from '../../../src/cases/unify-entity-names.js';
import type { CaseData, Truth } from '../../../src/cases/types.js';
import { InputError } from '../../../src/errors.js';
import { accuracy, type Accuracy } from '../../../src/rca/accuracy.js';
import { analyseCase, type CaseAnalysis } from '../../../src/rca/analyse-case.js';
import { rankOf, replayFeedback } from '../../../src/rca/feedback.js';
import { METHODS, type RcaMethod } from '../../../src/rca/rank-root-causes.js';
import type { RcaWeights } from '../../../src/rca/weights.js';
import {
  ablation,
  readCaseOrReport,
  runSuite,
  unreadableLine,
  type CaseView,
  type Unreadable,
} from './eval-rca-suite.js';
import { loadWeights, parseMethod, saveWeights } from './rca.js';

interface EvalOpts {
  cases?: string;
  truth?: string;
  suite?: string;
  match?: string;
  feedbackFrom?: string;
  feedbackMatch?: string;
  method: string;
  seed: string;
  weights?: string;
  saveWeights?: string;
  without?: string;
  asExported?: string;
  raw?: boolean;
  json?: boolean;
}

interface Loaded {
  name: string;
  analysis: CaseAnalysis;
  rootCause: string;
  hasTraces: boolean;
}

/** One evaluated configuration: a method, with or without replayed feedback. */
export interface EvalRow {
  method: RcaMethod;
  feedback: boolean;
  ranks: Record<string, number>;
  overall: Accuracy;
}

/** The cases of one folder that were read, those that could not be, and every case folder's name. */
interface LoadedSet {
  dir: string;
  cases: Loaded[];
  unreadable: Unreadable[];
  /** Every case folder under the folder, selected or not: a truth entry with none is missing. */
  folders: Set<string>;
  /** The --match filter used: a truth entry it leaves out is not missing. */
  re: RegExp | null;
}

/** Reads and analyses the cases under `dir` with a truth entry (and matching `re`); a bad case is reported and skipped. */
async function load(
  dir: string,
  truth: Truth,
  o: { re: RegExp | null; prepare: (c: CaseData) => CaseData },
): Promise<LoadedSet> {
  const out: LoadedSet = { dir, cases: [], unreadable: [], folders: new Set(), re: o.re };
  for (const d of await listCases(dir)) {
    // Skip by folder name before reading: a case's spans can be most of a gigabyte.
    const name = basename(d);
    out.folders.add(name);
    if ((o.re && !o.re.test(name)) || !truth[name]) continue;
    const c = await readCaseOrReport(d, o.prepare, out.unreadable);
    if (!c) continue;
    // What the reader undid, per case: an export's slips show here before they show in the figures.
    const undid = readingKinds(c);
    process.stderr.write(`eval rca: read ${c.name}${undid.length > 0 ? ` (reader: ${undid.join(', ')})` : ''}\n`);
    const analysis = analyseCase(c);
    const rootCause = entityAsRead(truth[c.name].entity, c);
    if (!analysis.graph.index.has(rootCause)) warnUnknownCause(c.name, rootCause, analysis.graph.nodes);
    out.cases.push({ name: c.name, analysis, rootCause, hasTraces: c.spans.length > 0 });
  }
  if (out.cases.length === 0)
    throw new InputError(dir, 'no case with a truth entry matched', {
      hint:
        out.unreadable.length > 0 ? `${out.unreadable.length} could not be read (above)` : 'check --truth and --match',
    });
  return out;
}

// A truth entity the case never names scores a miss; say so, for it is more often a typo than a blind spot.
function warnUnknownCause(name: string, cause: string, nodes: readonly string[]): void {
  const near = nodes.find((n) => n.toLowerCase() === cause.toLowerCase().trim());
  process.stderr.write(
    `eval rca: ${name}: the truth names "${cause}", which the case never names (scored a miss)${near ? `: did you mean "${near}"?` : ''}\n`,
  );
}

/**
 * The truth entries that a set read selects (by its --match) and that have no case folder in any folder
 * read (evaluated or feedback), warned of on stderr; a folder renamed or not copied would else shrink the
 * batch silently.
 */
function missingCases(truth: Truth, sets: readonly LoadedSet[]): string[] {
  const folders = new Set(sets.flatMap((s) => [...s.folders]));
  const missing = Object.keys(truth)
    .filter((name) => !folders.has(name) && sets.some((s) => !s.re || s.re.test(name)))
    .sort();
  if (missing.length > 0)
    process.stderr.write(
      `eval rca: ${missing.length} truth ${missing.length === 1 ? 'entry has' : 'entries have'} no case folder in ${sets.map((s) => s.dir).join(' or ')}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}\n`,
    );
  return missing;
}

/** The unreadable cases of every set, each once (the evaluated and feedback folders may be one). */
function unreadableCases(sets: readonly LoadedSet[]): Unreadable[] {
  const byCase = new Map<string, Unreadable>();
  for (const s of sets) for (const u of s.unreadable) if (!byCase.has(u.case)) byCase.set(u.case, u);
  return [...byCase.values()];
}

function toRegExp(src: string | undefined, flag: string): RegExp | null {
  if (!src) return null;
  try {
    return new RegExp(src);
  } catch (err) {
    throw new InputError(flag, `not a valid regular expression: ${(err as Error).message}`);
  }
}

/** Evaluates `method` on `cases` under `weights`; a cause missing from the candidates ranks 0 (miss). */
export function evaluate(
  cases: readonly Loaded[],
  weights: RcaWeights,
  method: RcaMethod,
  seed: number,
): Record<string, number> {
  const ranks: Record<string, number> = {};
  for (const c of cases)
    ranks[c.name] = c.analysis.graph.index.has(c.rootCause)
      ? rankOf(c.analysis, weights, method, c.rootCause, seed)
      : 0;
  return ranks;
}

/**
 * `rootgraph eval rca --cases DIR --truth FILE [--match RE] [--feedback-from DIR2 [--feedback-match RE]]
 *  [--method walk|stats|fused|microrank|all] [--weights FILE] [--save-weights FILE] [--without SIGNALS]
 *  [--as-exported SLIPS] [--json]`:
 * AC@1, AC@3, AC@5 and Avg@5 per case and overall, without and (given DIR2) with the truth of DIR2's
 * cases replayed as feedback first. `--without` strips signals from every case read (evaluated,
 * feedback and suite cases alike) before analysis: a modality ablation. `--as-exported` then writes each
 * case as an export with those slips would and reads it back (export-slips.ts, normalise-case.ts).
 */
export function registerEvalRcaCommand(evalCmd: Command): void {
  evalCmd
    .command('rca')
    .description('Root-cause accuracy (AC@k, Avg@5) on offline cases with known causes.')
    .option('--cases <dir>', 'folder of case folders')
    .option('--truth <file>', 'truth.json: { "<case>": { "entity": "<root cause>" } }')
    .option(
      '--suite <file>',
      'JSON { "datasets": [{ "name", "cases", "truth"?, "fit"?, "test"? }] }: every dataset side by side, fitted and leave-one-dataset-out',
    )
    .option('--match <re>', 'only cases whose name matches (e.g. "-test-")')
    .option('--feedback-from <dir>', 'replay the truth of these cases as feedback first')
    .option('--feedback-match <re>', 'only feedback cases whose name matches (e.g. "-train-")')
    .option('--method <m>', `${METHODS.join('|')}|all`, 'all')
    .option('--seed <n>', 'random-walk seed', '1')
    .option('--weights <file>', 'starting weights JSON')
    .option('--save-weights <file>', 'write the fused weights learned from feedback here')
    .option('--without <signals>', `remove these signals from every case: comma list of ${SIGNALS.join(', ')}`)
    .option(
      '--as-exported <slips>',
      `write every case as an export with these slips would and read it back: comma list of ${EXPORT_SLIPS.join(', ')}`,
    )
    .option('--raw', 'with --as-exported: analyse the slipped cases as they are, not read back (what the slips cost)')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: EvalOpts) => {
      const drop = parseSignals(opts.without ?? '');
      const without = SIGNALS.filter((s) => drop.has(s));
      const slipSet = parseSlips(opts.asExported ?? '');
      const asExported = EXPORT_SLIPS.filter((s) => slipSet.has(s));
      const prepare = (c: CaseData): CaseData => {
        const stripped = withoutSignals(c, drop);
        if (slipSet.size === 0) return stripped;
        const slipped = withExportSlips(stripped, slipSet);
        return opts.raw ? slipped : normaliseCase(slipped);
      };
      const view = { without, asExported: opts.raw ? asExported.map((s) => `${s} (raw)`) : asExported };
      const seed = Number(opts.seed);
      const start = await loadWeights(opts.weights);
      if (opts.suite) {
        await runSuite(opts.suite, start, {
          seed,
          json: Boolean(opts.json),
          saveWeights: opts.saveWeights,
          prepare,
          view,
        });
        return;
      }
      if (!opts.cases || !opts.truth)
        throw new InputError('eval rca', 'give --cases DIR and --truth FILE, or --suite FILE');
      const truth = await readTruth(opts.truth);
      const loaded = await load(opts.cases, truth, { re: toRegExp(opts.match, '--match'), prepare });
      const cases = loaded.cases;
      const fed = opts.feedbackFrom
        ? await load(opts.feedbackFrom, truth, { re: toRegExp(opts.feedbackMatch, '--feedback-match'), prepare })
        : null;
      const train = fed?.cases ?? [];
      const sets = fed ? [loaded, fed] : [loaded];
      const missing = missingCases(truth, sets);
      const unreadable = unreadableCases(sets);
      const anyTraces = cases.some((c) => c.hasTraces);
      const methods: RcaMethod[] =
        opts.method === 'all' ? METHODS.filter((m) => m !== 'microrank' || anyTraces) : [parseMethod(opts.method)];
      const rows: EvalRow[] = [];
      for (const method of methods) {
        const base = evaluate(cases, start, method, seed);
        rows.push({ method, feedback: false, ranks: base, overall: accuracy(Object.values(base)) });
        if (train.length === 0) continue;
        process.stderr.write(`eval rca: replaying ${train.length} feedback cases for ${method}\n`);
        const learned = replayFeedback(
          start,
          train.map((t) => ({ caseId: t.name, analysis: t.analysis, rootCause: t.rootCause })),
          method,
          { seed },
        );
        if (method === 'fused' && opts.saveWeights) await saveWeights(opts.saveWeights, learned);
        const after = evaluate(cases, learned, method, seed);
        rows.push({ method, feedback: true, ranks: after, overall: accuracy(Object.values(after)) });
      }
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ without, asExported, cases: cases.map((c) => ({ case: c.name, rootCause: c.rootCause })), results: rows, unreadable, missing })}\n`,
        );
      } else printResults(cases, rows, view, unreadable);
      // Results first, then a non-zero exit: the cases that were read still count.
      if (unreadable.length > 0) process.exitCode = 2;
    });
}

function label(r: EvalRow): string {
  return r.feedback ? `${r.method}+fb` : r.method;
}

function printResults(
  cases: readonly Loaded[],
  rows: readonly EvalRow[],
  view: CaseView,
  unreadable: readonly Unreadable[],
): void {
  const per = new Table({ head: ['case', 'root cause', ...rows.map(label)], style: { head: [], border: [] } });
  for (const c of cases)
    per.push([c.name, c.rootCause, ...rows.map((r) => (r.ranks[c.name] > 0 ? String(r.ranks[c.name]) : 'miss'))]);
  process.stdout.write(`rank of the true root cause per case (1 = top)${ablation(view)}\n${per.toString()}\n`);
  const overall = new Table({
    head: ['method', 'feedback', 'cases', 'AC@1', 'AC@3', 'AC@5', 'Avg@5'],
    style: { head: [], border: [] },
  });
  for (const r of rows) {
    const a = r.overall;
    overall.push([
      r.method,
      r.feedback ? 'replayed' : 'none',
      a.cases,
      a.ac1.toFixed(3),
      a.ac3.toFixed(3),
      a.ac5.toFixed(3),
      a.avg5.toFixed(3),
    ]);
  }
  process.stdout.write(`overall${ablation(view)}\n${overall.toString()}\n`);
  process.stdout.write(unreadableLine(unreadable));
}
