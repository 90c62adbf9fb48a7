import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCase } from '../../../src/cases/read-case.js';
import type { CaseData } from '../../../src/cases/types.js';
import { analyseCase } from '../../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../../src/rca/rank-root-causes.js';
import { seededRng } from '../../../src/rca/rng.js';
import { defaultWeights } from '../../../src/rca/weights.js';
import { simulate, toCaseFiles, type FaultType } from '../../../src/sim/index.js';

/**
 * The case files of one simulated Online Boutique hour (30 s steps) with a 10-minute fault from minute 45.
 */
export function simCaseFiles(
  fault: { type: FaultType; target: string },
  seed: number,
  opts: { traceRatePerS?: number; traces?: boolean; logs?: boolean } = {},
): Record<string, string> {
  const run = simulate({
    system: 'online-boutique',
    seed,
    start: Date.UTC(2026, 0, 5, 10),
    durationS: 3_600,
    stepS: 30,
    faults: [{ ...fault, startS: 2_700, durationS: 600 }],
    traceRatePerS: opts.traceRatePerS ?? 2,
  });
  return toCaseFiles(run, { traces: opts.traces ?? true, logs: opts.logs ?? true });
}

/** Writes `files` (each through `edit`, e.g. an export's slip) into a fresh case folder and reads it. */
export async function readWritten(
  files: Record<string, string>,
  edit: (name: string, text: string) => string = (_name, text) => text,
): Promise<CaseData> {
  const dir = join(await mkdtemp(join(tmpdir(), 'rg-case-')), 'case');
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), edit(name, text));
  return readCase(dir);
}

/** The first `k` entities of the fused ranking at the built-in weights. */
export function topEntities(c: CaseData, k = 3): string[] {
  return rankRootCauses(analyseCase(c), defaultWeights(), { method: 'fused', rng: seededRng(1) })
    .slice(0, k)
    .map((r) => r.entity);
}

/** Rewrites the given columns of every data row of a CSV text. */
export function editColumns(text: string, columns: readonly number[], edit: (cell: string) => string): string {
  const [head, ...rows] = text.split('\n');
  return [
    head,
    ...rows.map((r) => {
      if (r === '') return r;
      const cells = r.split(',');
      for (const c of columns) cells[c] = edit(cells[c]);
      return cells.join(',');
    }),
  ].join('\n');
}
