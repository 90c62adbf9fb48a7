/**
 * `rootgraph eval rca --suite FILE`: every dataset of a suite side by side under the built-in weights,
 * weights fitted on all fit cases and leave-one-dataset-out (src/rca/evaluate-suite.ts), then how often
 * the built-in ranking was right at each confidence level it stated.
 */
import Table from 'cli-table3';
import { basename } from 'node:path';
import { listCases, readCase, readTruth } from '../../../src/cases/read-case.js';
import { readSuite, selects } from '../../../src/cases/read-suite.js';
import type { CaseData } from '../../../src/cases/types.js';
import { entityAsRead } from '../../../src/cases/unify-entity-names.js';
import { InputError } from '../../../src/errors.js';
import type { Accuracy } from '../../../src/rca/accuracy.js';
import { analyseCase } from '../../../src/rca/analyse-case.js';
import { accuracyByLevel, CONFIDENCE_LEVELS, type StatedCase } from '../../../src/rca/confidence-levels.js';
import { evaluateSuite, type SuiteData, type SuiteRow } from '../../../src/rca/evaluate-suite.js';
import type { RcaWeights } from '../../../src/rca/weights.js';
import { saveWeights } from './rca.js';

/** What was done to every case before analysis: signals removed, export slips made and read back. */
export interface CaseView {
  without: readonly string[];
  asExported: readonly string[];
}

/** ` (without: traces, logs; as exported: ms)` for a title, or '' when the cases were read as they are. */
export function ablation(view: CaseView): string {
  const parts = [
    ...(view.without.length > 0 ? [`without: ${view.without.join(', ')}`] : []),
    ...(view.asExported.length > 0 ? [`as exported: ${view.asExported.join(', ')}`] : []),
  ];
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

/** A case whose folder could not be read, with the reader's message (it names the file, row and column). */
export interface Unreadable {
  case: string;
  error: string;
}

/**
 * Reads one case; one that cannot be read (InputError: it names the file, row and column) is reported
 * on stderr, added to `unreadable` and skipped (null), so the rest of a batch is still evaluated.
 */
export async function readCaseOrReport(
  dir: string,
  prepare: (c: CaseData) => CaseData,
  unreadable: Unreadable[],
  label = basename(dir),
): Promise<CaseData | null> {
  try {
    return prepare(await readCase(dir));
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    unreadable.push({ case: label, error: err.message });
    process.stderr.write(`eval rca: cannot read ${label}: ${err.message}\n`);
    return null;
  }
}

/** The closing line for cases that could not be read, or '' when all were. */
export function unreadableLine(unreadable: readonly Unreadable[]): string {
  const n = unreadable.length;
  return n === 0
    ? ''
    : `${n} case${n === 1 ? '' : 's'} could not be read and ${n === 1 ? 'is' : 'are'} not counted: ${unreadable.map((u) => u.case).join(', ')}\n`;
}

export async function runSuite(
  file: string,
  weights: RcaWeights,
  o: {
    seed: number;
    json: boolean;
    saveWeights?: string;
    prepare: (c: CaseData) => CaseData;
    view: CaseView;
  },
): Promise<void> {
  const data: SuiteData[] = [];
  const unreadable: Unreadable[] = [];
  for (const d of await readSuite(file)) {
    const truth = await readTruth(d.truth);
    const fit: SuiteData['fit'][number][] = [];
    const test: SuiteData['test'][number][] = [];
    for (const dir of await listCases(d.cases)) {
      const name = basename(dir);
      const t = truth[name];
      const inFit = d.fit !== null && selects(d.fit, name, t);
      const inTest = selects(d.test, name, t);
      if (!t || (!inFit && !inTest)) continue;
      process.stderr.write(`eval rca: ${d.name} ${name}\n`);
      const read = await readCaseOrReport(dir, o.prepare, unreadable, `${d.name}/${name}`);
      if (!read) continue;
      const c = { analysis: analyseCase(read), rootCause: entityAsRead(t.entity, read) };
      if (inFit) fit.push({ ...c, name });
      if (inTest) test.push({ ...c, name });
    }
    if (test.length === 0) throw new InputError(`${file} › ${d.name}`, 'no test case with a truth entry matched');
    data.push({ name: d.name, fit, test });
  }
  const res = evaluateSuite(data, weights, o.seed);
  if (o.saveWeights) await saveWeights(o.saveWeights, { ...weights, fusion: res.fitted });
  // A case that could not be read is not counted: the figures hold, the exit code says so.
  if (unreadable.length > 0) process.exitCode = 2;
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ ...o.view, ...res, unreadable })}\n`);
    return;
  }
  const f3 = (x: number) => x.toFixed(2).replace(/^0/, '');
  const cell = (a: Accuracy) => `${f3(a.ac1)} / ${f3(a.ac3)} / ${f3(a.avg5)}`;
  const t = new Table({
    head: [
      'dataset',
      'fit cases',
      'fit: built-in',
      'test cases',
      'built-in weights',
      'fitted on all fit cases',
      'leave-one-dataset-out',
    ],
    style: { head: [], border: [] },
  });
  for (const [i, r] of res.rows.entries())
    t.push([
      r.dataset,
      data[i].fit.length,
      data[i].fit.length > 0 ? cell(r.fitBuiltIn) : '—',
      data[i].test.length,
      cell(r.builtIn),
      cell(r.fitted),
      cell(r.lodo),
    ]);
  process.stdout.write(
    `fused ranking, AC@1 / AC@3 / Avg@5 on each dataset's test cases${ablation(o.view)}; for deciding changes, the built-in weights on its fit cases too\n${t.toString()}\n`,
  );
  const w = (f: Record<string, number>) =>
    Object.entries(f)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(', ');
  process.stdout.write(`built-in fusion: ${w(weights.fusion)}\nfitted on all fit cases: ${w(res.fitted)}\n`);
  for (const r of res.rows) process.stdout.write(`LODO without ${r.dataset}: ${w(r.lodoFusion)}\n`);
  printByConfidence(res.rows, f3);
  process.stdout.write(unreadableLine(unreadable));
}

/** How often the built-in ranking's first suspect was right at each confidence level it stated. */
function printByConfidence(rows: readonly SuiteRow[], f3: (x: number) => string): void {
  const t = new Table({
    head: ['dataset', 'cases', ...CONFIDENCE_LEVELS.map((l) => `${l}: cases · AC@1 / AC@3`)],
    style: { head: [], border: [] },
  });
  const line = (name: string, cases: readonly StatedCase[]) => {
    const by = accuracyByLevel(cases);
    t.push([
      name,
      cases.length,
      ...CONFIDENCE_LEVELS.map((l) => (by[l].cases > 0 ? `${by[l].cases} · ${f3(by[l].ac1)} / ${f3(by[l].ac3)}` : '—')),
    ]);
  };
  line(
    'all fit cases',
    rows.flatMap((r) => r.stated.fit),
  );
  for (const r of rows) line(r.dataset, r.stated.test);
  process.stdout.write(
    `\nbuilt-in ranking by its stated confidence (levels cut on fit cases; datasets: test cases)\n${t.toString()}\n`,
  );
}
