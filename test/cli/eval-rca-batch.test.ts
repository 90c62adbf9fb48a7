import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseFolder } from './helpers/db-slow-cases.js';
import { runCli } from './run-cli.js';

interface EvalJson {
  results: { ranks: Record<string, number> }[];
  unreadable: { case: string; error: string }[];
  missing: string[];
}

/** The two readable db-slow cases, one with a malformed cell, a truth entry with no folder, and one that names no entity of its case. */
async function batch(): Promise<{ cases: string; truth: string }> {
  const { cases, truth } = await caseFolder();
  const bad = join(cases, 'db-slow-bad');
  await mkdir(bad);
  await writeFile(join(bad, 'incident.json'), JSON.stringify({ start: 1_700_000_000 }));
  await writeFile(join(bad, 'metrics.csv'), 'timestamp,db|latency\n1700000000,1\n1700000060,inf\n');
  await writeFile(
    truth,
    JSON.stringify({
      'db-slow-1': { entity: 'db' },
      'db-slow-2': { entity: 'DB' },
      'db-slow-bad': { entity: 'db' },
      'db-slow-gone': { entity: 'db' },
    }),
  );
  return { cases, truth };
}

describe('eval rca over a batch with bad cases', () => {
  it('reports a case it cannot read, evaluates the rest, and exits 2 after the results', async () => {
    const { cases, truth } = await batch();
    const run = await runCli('eval', 'rca', '--cases', cases, '--truth', truth, '--method', 'fused', '--json');
    expect(run.code).toBe(2);
    const out = JSON.parse(run.stdout) as EvalJson;
    expect(Object.keys(out.results[0].ranks).sort()).toEqual(['db-slow-1', 'db-slow-2']);
    expect(out.unreadable).toEqual([
      { case: 'db-slow-bad', error: expect.stringMatching(/db-slow-bad\/metrics\.csv › row 3 › column db\|latency/) },
    ]);
    expect(run.stderr).toContain('cannot read db-slow-bad');
  });

  it('warns of a truth entry with no case folder and of a truth entity its case never names', async () => {
    const { cases, truth } = await batch();
    const run = await runCli('eval', 'rca', '--cases', cases, '--truth', truth, '--method', 'fused', '--json');
    const out = JSON.parse(run.stdout) as EvalJson;
    expect(out.missing).toEqual(['db-slow-gone']);
    expect(run.stderr).toMatch(/1 truth entry has no case folder .*db-slow-gone/);
    expect(out.results[0].ranks['db-slow-2']).toBe(0);
    expect(run.stderr).toContain(
      'db-slow-2: the truth names "DB", which the case never names (scored a miss): did you mean "db"?',
    );
  });
});
