import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { readCase } from '../../../src/cases/read-case.js';
import { readingNotes } from '../../../src/cases/reading-notes.js';
import { entityAsRead } from '../../../src/cases/unify-entity-names.js';
import { InputError } from '../../../src/errors.js';
import { analyseCase } from '../../../src/rca/analyse-case.js';
import { applyFeedback, type Feedback } from '../../../src/rca/feedback.js';
import { METHODS, rankRootCauses, type RcaMethod } from '../../../src/rca/rank-root-causes.js';
import { rankingConfidence } from '../../../src/rca/confidence.js';
import { confidenceLevel } from '../../../src/rca/confidence-levels.js';
import { evidenceParts, NOTHING_MOVED } from '../../../src/assistant/why-line.js';
import { confidenceLine } from '../../../src/assistant/incident-card.js';
import { seededRng } from '../../../src/rca/rng.js';
import { defaultWeights, parseWeights, type RcaWeights } from '../../../src/rca/weights.js';

/** Reads `--weights FILE` (defaults when the file is absent). */
export async function loadWeights(file: string | undefined): Promise<RcaWeights> {
  if (!file) return defaultWeights();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return defaultWeights();
    throw new InputError(file, 'cannot read weights file', { cause: err });
  }
  try {
    return parseWeights(JSON.parse(text) as unknown, file);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(file, `not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** Writes weights as pretty JSON. */
export async function saveWeights(file: string, w: RcaWeights): Promise<void> {
  await writeFile(file, `${JSON.stringify(w, null, 2)}\n`);
}

/** Parses `--method`; throws InputError for an unknown one. */
export function parseMethod(m: string): RcaMethod {
  if (!(METHODS as readonly string[]).includes(m))
    throw new InputError('--method', `expected one of ${METHODS.join(', ')}, got "${m}"`);
  return m as RcaMethod;
}

interface RcaOpts {
  case: string;
  json?: boolean;
  method: string;
  top: string;
  seed: string;
  weights?: string;
  confirm?: string;
  reject?: string;
}

/**
 * `rootgraph rca --case DIR [--json] [--method fused|stats|walk|microrank] [--top N] [--seed N]
 *  [--weights FILE] [--confirm ENTITY | --reject ENTITY]`: ranks root-cause candidates of an offline
 * case; with --confirm/--reject, records that verdict as feedback and saves the updated weights to FILE.
 */
export function registerRcaCommand(program: Command): void {
  program
    .command('rca')
    .description('Rank root-cause candidates of an offline incident case (case format: docs/case-format.md).')
    .requiredOption(
      '--case <dir>',
      'case folder: incident.json and any of metrics.csv, topology.csv, traces.csv, logs.csv (docs/case-format.md)',
    )
    .option('--json', 'print JSON on stdout')
    .option('--method <m>', `ranking: ${METHODS.join(', ')}`, 'fused')
    .option('--top <n>', 'candidates to print (0 = all)', '10')
    .option('--seed <n>', 'random-walk seed', '1')
    .option('--weights <file>', 'weights JSON to use (and update with --confirm/--reject)')
    .option('--confirm <entity>', 'feedback: this entity is the root cause (needs --weights)')
    .option('--reject <entity>', 'feedback: this entity is not the root cause (needs --weights)')
    .action(async (opts: RcaOpts) => {
      const method = parseMethod(opts.method);
      const top = Number(opts.top);
      if (!Number.isInteger(top) || top < 0)
        throw new InputError('--top', `expected a non-negative integer, got "${opts.top}"`);
      if ((opts.confirm || opts.reject) && !opts.weights)
        throw new InputError('--confirm/--reject', 'feedback needs --weights FILE to persist into');
      let weights = await loadWeights(opts.weights);
      const c = await readCase(opts.case);
      const analysis = analyseCase(c);
      const feedback: Feedback[] = [];
      // A pod the reader read as its service is that service.
      if (opts.confirm)
        feedback.push({ caseId: c.name, entity: entityAsRead(opts.confirm, c), verdict: 'root-cause', at: Date.now() });
      if (opts.reject)
        feedback.push({
          caseId: c.name,
          entity: entityAsRead(opts.reject, c),
          verdict: 'not-root-cause',
          at: Date.now(),
        });
      if (feedback.length > 0 && opts.weights) {
        for (const f of feedback)
          if (!analysis.graph.index.has(f.entity))
            throw new InputError(
              f.verdict === 'root-cause' ? '--confirm' : '--reject',
              `"${f.entity}" is not a candidate of ${c.name}`,
            );
        const res = applyFeedback(weights, feedback, new Map([[c.name, analysis]]), method, {
          seed: Number(opts.seed),
        });
        weights = res.weights;
        await saveWeights(opts.weights, weights);
        const note = res.accepted
          ? `weights updated (step ×${res.scale}) → ${opts.weights}`
          : 'no weight change could honour this feedback without hurting it; weights unchanged';
        process.stderr.write(`rca: ${note}\n`);
      }
      const ranking = rankRootCauses(analysis, weights, { method, rng: seededRng(Number(opts.seed)) });
      const shown = top === 0 ? ranking : ranking.slice(0, top);
      const { confidence, notes } = rankingConfidence(
        analysis,
        ranking.map((r) => r.score),
        { top: ranking[0]?.entity },
      );
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ case: c.name, method, entry: analysis.graph.nodes[analysis.entry], entrySeries: analysis.entrySeries, graph: analysis.graph.source, confidence, confidenceLevel: confidenceLevel(confidence), notes, renamed: c.renamed ?? [], timeUnits: c.timeUnits ?? [], metricRows: c.metricRows ?? null, counters: c.counters ?? [], sharedHosts: c.sharedHosts ?? [], operationRoutes: c.operationRoutes ?? null, notUtf8: c.notUtf8 ?? [], ranking: shown })}\n`,
        );
        return;
      }
      process.stdout.write(
        `case ${c.name} · entry ${analysis.graph.nodes[analysis.entry]}${analysis.coverage.entryGiven ? '' : ' (guessed)'} · graph from ${analysis.graph.source} · method ${method}\n` +
          `${confidenceLine({ value: confidence, caveats: notes })}\n` +
          readingNotes(c)
            .map((line) => `${line}\n`)
            .join(''),
      );
      shown.forEach((r, i) => {
        // A case's units are its own: say one only where the metric's name does.
        const parts = evidenceParts(r.explanation, { namedUnitsOnly: true });
        const why = (parts.length > 0 ? parts : [NOTHING_MOVED]).join(' · ');
        const path = r.explanation.path ? ` · path ${r.explanation.path.join(' → ')}` : '';
        process.stdout.write(
          `${String(i + 1).padStart(3)}. ${r.entity}  score ${r.score.toFixed(3)} · ${why}${path}\n`,
        );
      });
    });
}
