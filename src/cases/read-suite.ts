/**
 * An evaluation suite: several datasets of offline cases, each with the cases that may be used to fit
 * (`fit`) and the cases that are reported (`test`). A selector is a regular expression on the case
 * name, or `part:<name>` to match the truth entry's `part` (e.g. the simulator's train/test halves).
 * Paths are relative to the suite file.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { TruthEntry } from './types.js';

const DatasetSchema = z.object({
  name: z.string().min(1),
  cases: z.string().min(1),
  truth: z.string().min(1).optional(),
  fit: z.string().min(1).optional(),
  test: z.string().min(1).optional(),
});

const SuiteSchema = z.object({ datasets: z.array(DatasetSchema).min(1) });

/** One dataset of a suite, paths resolved. */
export interface SuiteDataset {
  name: string;
  /** Folder of case folders. */
  cases: string;
  /** truth.json (default: `<cases>/truth.json`). */
  truth: string;
  /** Cases that may be used to fit weights; none when absent (the dataset is then only reported). */
  fit: string | null;
  /** Cases reported (all when absent). */
  test: string | null;
}

/** Reads a suite file; throws InputError naming the bad entry. */
export async function readSuite(file: string): Promise<SuiteDataset[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (err) {
    throw new InputError(file, `cannot read the suite: ${(err as Error).message}`, { cause: err });
  }
  const parsed = SuiteSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${file} › ${issue?.path.join('.') || '(root)'}`, issue?.message ?? 'invalid suite');
  }
  const base = dirname(resolve(file));
  return parsed.data.datasets.map((d) => {
    const cases = resolve(base, d.cases);
    return {
      name: d.name,
      cases,
      truth: d.truth ? resolve(base, d.truth) : resolve(cases, 'truth.json'),
      fit: d.fit ?? null,
      test: d.test ?? null,
    };
  });
}

/** Whether case `name` (with truth entry `t`) is picked by `selector` (null = every case). */
export function selects(selector: string | null, name: string, t: TruthEntry | undefined): boolean {
  if (selector === null) return true;
  if (selector.startsWith('part:')) return t?.part === selector.slice(5);
  try {
    return new RegExp(selector).test(name);
  } catch (err) {
    throw new InputError(`suite selector "${selector}"`, `not a valid regular expression: ${(err as Error).message}`);
  }
}
