import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAND_SET_FUSION } from '../../src/rca/weights.js';
import { caseFolder } from './helpers/db-slow-cases.js';
import { runCli } from './run-cli.js';

// Without metrics, traces and topology only the named entry is left to rank: the true cause (db) is no candidate.
const NO_DB = 'metrics,traces,topology';

interface EvalJson {
  without: string[];
  results: { method: string; ranks: Record<string, number> }[];
}

describe('eval rca --without', () => {
  it('strips traces before analysis: the JSON says so and the trace-only method (microrank) drops out', async () => {
    const { cases, truth } = await caseFolder();
    const full = await runCli('eval', 'rca', '--cases', cases, '--truth', truth, '--json');
    expect(full.code, full.stderr).toBe(0);
    const a = JSON.parse(full.stdout) as EvalJson;
    expect(a.without).toEqual([]);
    expect(a.results.map((r) => r.method)).toContain('microrank');

    const ablated = await runCli('eval', 'rca', '--cases', cases, '--truth', truth, '--without', 'traces', '--json');
    expect(ablated.code, ablated.stderr).toBe(0);
    const b = JSON.parse(ablated.stdout) as EvalJson;
    expect(b.without).toEqual(['traces']);
    expect(b.results.map((r) => r.method)).not.toContain('microrank');
  });

  it('reaches the analysis: with only the entry left the true cause is missed (rank 0), as read it ranks first', async () => {
    const { cases, truth } = await caseFolder();
    const full = JSON.parse(
      (await runCli('eval', 'rca', '--cases', cases, '--truth', truth, '--method', 'fused', '--json')).stdout,
    ) as EvalJson;
    expect(full.results[0].ranks['db-slow-1']).toBe(1);
    const run = await runCli(
      'eval',
      'rca',
      '--cases',
      cases,
      '--truth',
      truth,
      '--method',
      'fused',
      '--without',
      NO_DB,
      '--json',
    );
    const ablated = JSON.parse(run.stdout) as EvalJson;
    expect(ablated.without).toEqual(['traces', 'topology', 'metrics']);
    expect(ablated.results[0].ranks['db-slow-1']).toBe(0);
  });

  it('strips the feedback cases too: replayed feedback learns no prior for a cause it could not see', async () => {
    const { cases, truth } = await caseFolder();
    const dir = await mkdtemp(join(tmpdir(), 'rg-without-w-'));
    const replay = async (file: string, ...extra: string[]) => {
      const run = await runCli(
        'eval',
        'rca',
        '--cases',
        cases,
        '--truth',
        truth,
        '--match=-2$',
        '--feedback-from',
        cases,
        '--feedback-match=-1$',
        '--method',
        'fused',
        '--save-weights',
        join(dir, file),
        ...extra,
      );
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(await readFile(join(dir, file), 'utf8')) as { entityPriors: Record<string, number> };
    };
    expect((await replay('full.json')).entityPriors).toHaveProperty('db');
    expect((await replay('ablated.json', '--without', NO_DB)).entityPriors).not.toHaveProperty('db');
  });

  it('applies to --suite as well: the fit sees no trace evidence, and JSON and title say so', async () => {
    const { suite } = await caseFolder();
    const fitted = async (...extra: string[]) => {
      const run = await runCli('eval', 'rca', '--suite', suite, '--json', ...extra);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as { without: string[]; fitted: Record<string, number> };
    };
    const full = await fitted();
    const ablated = await fitted('--without', 'traces');
    expect(full.without).toEqual([]);
    expect(ablated.without).toEqual(['traces']);
    // A component no fit case exercises keeps its hand-set share (fit-fusion.ts); with spans it is fitted.
    expect(ablated.fitted.traces).toBeCloseTo(HAND_SET_FUSION.traces, 9);
    expect(full.fitted.traces).not.toBeCloseTo(HAND_SET_FUSION.traces, 9);
    const text = await runCli('eval', 'rca', '--suite', suite, '--without', 'traces');
    expect(text.stdout).toContain('test cases (without: traces)');
  });

  it('names the ablation in the printed titles, in the canonical order', async () => {
    const { cases, truth } = await caseFolder();
    const run = await runCli(
      'eval',
      'rca',
      '--cases',
      cases,
      '--truth',
      truth,
      '--method',
      'fused',
      '--without',
      'logs,traces',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('overall (without: traces, logs)');
    const plain = await runCli('eval', 'rca', '--cases', cases, '--truth', truth, '--method', 'fused');
    expect(plain.stdout).not.toContain('without:');
  });

  it('an unknown signal is a usage error (2) naming the option, the name and the valid ones', async () => {
    const { cases, truth } = await caseFolder();
    const run = await runCli('eval', 'rca', '--cases', cases, '--truth', truth, '--without', 'traces,spans');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--without');
    expect(run.stderr).toContain('"spans"');
    expect(run.stderr).toContain('traces, logs, topology, metrics, levels, status, entry');
    expect(run.stdout).toBe('');
  });
});
