import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseFolder } from './helpers/db-slow-cases.js';
import { runCli } from './run-cli.js';

type Stated = { confidence: number; rank: number };
interface SuiteJson {
  rows: Array<{ dataset: string; stated: { fit: Stated[]; test: Stated[] }; fitRanks: Record<string, number> }>;
}

describe('eval rca --suite: the stated confidence beside how the ranking did', () => {
  it('states for each fit and test case what rca --case says of it, and prints the table by level', async () => {
    const { cases, suite } = await caseFolder();
    const run = await runCli('eval', 'rca', '--suite', suite, '--json');
    expect(run.code, run.stderr).toBe(0);
    const row = (JSON.parse(run.stdout) as SuiteJson).rows[0];
    expect(row.dataset).toBe('tiny');
    const [fit] = row.stated.fit;
    const [test] = row.stated.test;

    // The suite scores from its prepared components; rca --case ranks the case afresh: they must agree.
    for (const [name, stated] of [
      ['db-slow-1', fit],
      ['db-slow-2', test],
    ] as const) {
      const one = await runCli('rca', '--case', join(cases, name), '--json');
      expect(one.code, one.stderr).toBe(0);
      const r = JSON.parse(one.stdout) as { confidence: number; ranking: Array<{ entity: string }> };
      expect(stated.confidence).toBe(r.confidence);
      expect(stated.rank).toBe(r.ranking.findIndex((c) => c.entity === 'db') + 1);
    }

    // The fit case's rank is reported by name, for changes judged on fit cases alone.
    expect(row.fitRanks).toEqual({ 'db-slow-1': fit.rank });

    const text = await runCli('eval', 'rca', '--suite', suite);
    expect(text.stdout).toMatch(/fit: built-in/);
    expect(text.stdout).toMatch(/built-in ranking by its stated confidence/);
    expect(text.stdout).toMatch(/all fit cases +│ 1 /);
  });
});
