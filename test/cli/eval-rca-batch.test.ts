import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseFolder } from './helpers/db-slow-cases.js';
import { runCli } from './run-cli.js';

interface EvalJson {
  results: { ranks: Record<string, number> }[];
  unreadable: { case: string; error: string }[];
  missing: string[];
}

/** A case folder under `cases` whose metrics.csv has a bad cell (`inf`, row 3). */
async function writeBadCase(cases: string, name: string): Promise<void> {
  const bad = join(cases, name);
  await mkdir(bad);
  await writeFile(join(bad, 'incident.json'), JSON.stringify({ start: 1_700_000_000 }));
  await writeFile(join(bad, 'metrics.csv'), 'timestamp,db|latency\n1700000000,1\n1700000060,inf\n');
}

/** The two readable db-slow cases, one with a malformed cell, a truth entry with no folder, and one that names no entity of its case. */
async function batch(): Promise<{ cases: string; truth: string }> {
  const { cases, truth } = await caseFolder();
  await writeBadCase(cases, 'db-slow-bad');
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

describe('eval rca --suite over a dataset with a bad case', () => {
  it('reports the case it cannot read, evaluates the rest, and exits 2 after the results', async () => {
    const { cases, suite } = await caseFolder();
    await writeBadCase(cases, 'db-slow-bad-2');
    await writeFile(
      join(cases, 'truth.json'),
      JSON.stringify({
        'db-slow-1': { entity: 'db' },
        'db-slow-2': { entity: 'db' },
        'db-slow-bad-2': { entity: 'db' },
      }),
    );
    const run = await runCli('eval', 'rca', '--suite', suite, '--json');
    expect(run.code).toBe(2);
    const out = JSON.parse(run.stdout) as {
      rows: { dataset: string }[];
      unreadable: { case: string; error: string }[];
    };
    expect(out.rows.map((r) => r.dataset)).toEqual(['tiny']);
    expect(out.unreadable).toEqual([
      { case: 'tiny/db-slow-bad-2', error: expect.stringMatching(/metrics\.csv › row 3 › column db\|latency/) },
    ]);
    expect(run.stderr).toContain('cannot read tiny/db-slow-bad-2');
    const table = await runCli('eval', 'rca', '--suite', suite);
    expect(table.code).toBe(2);
    expect(table.stdout).toContain('1 case could not be read and is not counted: tiny/db-slow-bad-2');
  });
});

/** A small metrics-only case under `root`: db slows down at the incident's start, and front with it. */
async function smallCase(root: string, name: string, cell = ''): Promise<void> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  const start = 1_000_000 + 3_600;
  const rows = ['timestamp,front|latency,db|latency'];
  for (let i = 0; i < 70; i++) {
    const t = 1_000_000 + i * 60;
    const slow = t >= start ? 40 : 0;
    rows.push(`${t},${10 + (i % 5) * 0.3 + slow},${i === 3 && cell ? cell : 5 + (i % 5) * 0.3 + slow}`);
  }
  await writeFile(join(dir, 'metrics.csv'), `${rows.join('\n')}\n`);
  await writeFile(join(dir, 'incident.json'), JSON.stringify({ start, entry: 'front' }));
}

describe('eval rca: what is reported besides the results', () => {
  it('evaluates the cases after a bad one and says in the table which could not be read', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rg-eval-batch-'));
    for (const name of ['c1', 'c2', 'c4', 'c5']) await smallCase(root, name);
    await smallCase(root, 'c3', 'n/a');
    const truth = join(root, 'truth.json');
    await writeFile(
      truth,
      JSON.stringify(Object.fromEntries(['c1', 'c2', 'c3', 'c4', 'c5'].map((c) => [c, { entity: 'db' }]))),
    );
    const run = await runCli('eval', 'rca', '--cases', root, '--truth', truth, '--method', 'fused');
    expect(run.code).toBe(2);
    // Reported as met, between the cases read before and after it, naming the file, row and column.
    expect(run.stderr).toMatch(
      /read c2\n.*cannot read c3: c3\/metrics\.csv › row 5 › column db\|latency.*\n.*read c4\n/,
    );
    expect(run.stdout).toMatch(/│ fused +│ none +│ 4 /);
    expect(run.stdout).toContain('1 case could not be read and is not counted: c3');
  });

  it('counts a bad feedback case, and does not call a case in the other folder missing', async () => {
    const test = await mkdtemp(join(tmpdir(), 'rg-eval-test-'));
    const train = await mkdtemp(join(tmpdir(), 'rg-eval-train-'));
    await smallCase(test, 't1');
    await smallCase(train, 'f1');
    await smallCase(train, 'f2', 'inf');
    const truth = join(test, 'truth.json');
    await writeFile(truth, JSON.stringify({ t1: { entity: 'db' }, f1: { entity: 'db' }, f2: { entity: 'db' } }));
    const run = await runCli(
      'eval',
      'rca',
      '--cases',
      test,
      '--feedback-from',
      train,
      '--truth',
      truth,
      '--method',
      'fused',
      '--json',
    );
    expect(run.code).toBe(2);
    const out = JSON.parse(run.stdout) as EvalJson;
    expect(out.unreadable.map((u) => u.case)).toEqual(['f2']);
    expect(out.missing).toEqual([]);
    expect(run.stderr).not.toContain('no case folder');
  });

  it('does not warn of a truth entry that --match leaves out, and warns of an unknown entity with no near name', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rg-eval-match-'));
    await smallCase(root, 'x-test-1');
    const truth = join(root, 'truth.json');
    await writeFile(truth, JSON.stringify({ 'x-test-1': { entity: 'nosuch' }, 'x-train-9': { entity: 'db' } }));
    const run = await runCli(
      'eval',
      'rca',
      '--cases',
      root,
      '--truth',
      truth,
      '--match',
      '-test-',
      '--method',
      'fused',
      '--json',
    );
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as EvalJson).missing).toEqual([]);
    expect(run.stderr).toContain('x-test-1: the truth names "nosuch", which the case never names (scored a miss)\n');
  });
});
